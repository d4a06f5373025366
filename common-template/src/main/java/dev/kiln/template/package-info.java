/** Template rules that gateway and worker must apply identically; plain Java over the Avro schema classes. */
package dev.kiln.template;

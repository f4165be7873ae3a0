/** Beam transforms that read and write segflow data: sources from files, with rejects. */
package io.segflow.transforms.io;

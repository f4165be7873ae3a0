/** Rules segmentation: ordered SQL predicates compiled to one CASE. */
package io.segflow.transforms.rules;

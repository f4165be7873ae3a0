/** Testing utilities shipped with segflow, as Beam ships its own: {@link io.segflow.testing.DefinitionTest}. */
package io.segflow.testing;

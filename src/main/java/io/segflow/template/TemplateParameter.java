package io.segflow.template;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A getter of {@link SegflowTemplateOptions} that is a parameter of the Flex Template: what the Dataflow
 * console's launch form and {@code gcloud dataflow flex-template run --parameters} show and check.
 * {@link TemplateMetadata} turns these into the template's metadata file.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TemplateParameter {
  /** Where the parameter comes in the launch form. */
  int order();

  /** A short name for the launch form. */
  String label();

  /** What the value is, with an example. */
  String helpText();

  boolean optional() default true;

  /** Patterns the service checks a value against before it starts the launcher. */
  String[] regexes() default {};
}

package io.segflow.transforms.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Beam's {@link SerializableCoder}, decoding classes through the loader of its own type. Beam's resolves
 * them through the loader that loaded Beam, which on a Flink session cluster is the cluster's: a class
 * shipped in the job's jar is then "not found" (ClassNotFoundException in the middle of a shuffle).
 */
public final class UserTypeSerializableCoder<T extends Serializable> extends SerializableCoder<T> {
  private UserTypeSerializableCoder(Class<T> type) {
    super(type, TypeDescriptor.of(type));
  }

  public static <T extends Serializable> UserTypeSerializableCoder<T> of(Class<T> type) {
    return new UserTypeSerializableCoder<>(type);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    ClassLoader loader = getRecordType().getClassLoader();
    try {
      ObjectInputStream objects = new ObjectInputStream(in) {
        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
          try {
            return Class.forName(desc.getName(), false, loader);
          } catch (ClassNotFoundException e) {
            return super.resolveClass(desc); // primitives' and arrays' names
          }
        }
      };
      return getRecordType().cast(objects.readObject());
    } catch (ClassNotFoundException e) {
      throw new CoderException("unable to deserialize a " + getRecordType().getName(), e);
    }
  }
}

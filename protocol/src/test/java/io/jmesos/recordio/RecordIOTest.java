package io.jmesos.recordio;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RecordIOTest {

  private static final List<byte[]> RECORDS = Arrays.asList(
      "{\"type\":\"SUBSCRIBED\"}".getBytes(UTF_8),
      new byte[0],
      "hello\nworld".getBytes(UTF_8),
      "0123456789".repeat(30).getBytes(UTF_8));

  private static List<String> strings(List<byte[]> records) {
    return records.stream().map(r -> new String(r, UTF_8)).collect(Collectors.toList());
  }

  @Test
  void encodesLengthNewlineBytes() {
    assertThat(new String(RecordIO.encode("hello".getBytes(UTF_8)), UTF_8)).isEqualTo("5\nhello");
    assertThat(new String(RecordIO.encode(new byte[0]), UTF_8)).isEqualTo("0\n");
  }

  @Test
  void decodesWholeStream() {
    RecordIO.Decoder decoder = new RecordIO.Decoder(1024);

    List<byte[]> decoded = decoder.feed(RecordIO.encodeAll(RECORDS));

    assertThat(strings(decoded)).isEqualTo(strings(RECORDS));
    assertThat(decoder.isAtBoundary()).isTrue();
  }

  @Test
  void decodesByteByByte() {
    byte[] stream = RecordIO.encodeAll(RECORDS);
    RecordIO.Decoder decoder = new RecordIO.Decoder(1024);
    List<byte[]> decoded = new ArrayList<>();

    for (int i = 0; i < stream.length; i++) {
      decoded.addAll(decoder.feed(new byte[] {stream[i]}));
      if (i == 1) {
        assertThat(decoder.isAtBoundary()).as("inside the first record").isFalse();
      }
    }

    assertThat(strings(decoded)).isEqualTo(strings(RECORDS));
    assertThat(decoder.isAtBoundary()).isTrue();
  }

  @Test
  void decodesRandomSplitsThroughByteBuffersAndOffsets() {
    byte[] stream = RecordIO.encodeAll(RECORDS);
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      RecordIO.Decoder decoder = new RecordIO.Decoder(1024);
      List<byte[]> decoded = new ArrayList<>();
      int position = 0;
      while (position < stream.length) {
        int n = Math.min(stream.length - position, 1 + random.nextInt(40));
        if (random.nextBoolean()) {
          decoded.addAll(decoder.feed(stream, position, n));
        } else {
          ByteBuffer buffer = ByteBuffer.wrap(stream, position, n);
          decoded.addAll(decoder.feed(buffer));
          assertThat(buffer.hasRemaining()).isFalse();
        }
        position += n;
      }
      assertThat(strings(decoded)).isEqualTo(strings(RECORDS));
    }
  }

  @Test
  void rejectsNonNumericLength() {
    RecordIO.Decoder decoder = new RecordIO.Decoder(1024);

    assertThatThrownBy(() -> decoder.feed("1x\nab".getBytes(UTF_8)))
        .isInstanceOf(RecordIO.DecodingException.class)
        .hasMessageContaining("Failed to decode length '1x'");
    assertThatThrownBy(() -> decoder.feed("1\na".getBytes(UTF_8)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed earlier");
  }

  @Test
  void rejectsEmptyLengthLine() {
    assertThatThrownBy(() -> new RecordIO.Decoder(10).feed("\n".getBytes(UTF_8)))
        .isInstanceOf(RecordIO.DecodingException.class)
        .hasMessageContaining("Failed to decode length ''");
  }

  @Test
  void rejectsRecordOverTheMaximum() {
    RecordIO.Decoder decoder = new RecordIO.Decoder(4);

    assertThat(decoder.feed("4\nabcd".getBytes(UTF_8))).hasSize(1);
    assertThatThrownBy(() -> decoder.feed("5\nabcde".getBytes(UTF_8)))
        .isInstanceOf(RecordIO.DecodingException.class)
        .hasMessage("Record of 5 bytes exceeds the maximum of 4 bytes");
  }

  @Test
  void rejectsHugeLengthsWithoutOverflow() {
    assertThatThrownBy(() -> new RecordIO.Decoder(Integer.MAX_VALUE)
        .feed("99999999999999999999\n".getBytes(UTF_8)))
        .isInstanceOf(RecordIO.DecodingException.class)
        .hasMessageContaining("exceeds the maximum");
  }

  @Test
  void rejectsLengthLineOverTwentyDigits() {
    RecordIO.Decoder decoder = new RecordIO.Decoder(1024);

    assertThatThrownBy(() -> {
      for (byte b : "000000000000000000001\n".getBytes(UTF_8)) {
        decoder.feed(new byte[] {b});
      }
    }).isInstanceOf(RecordIO.DecodingException.class).hasMessageContaining("longer than 20 digits");
  }
}

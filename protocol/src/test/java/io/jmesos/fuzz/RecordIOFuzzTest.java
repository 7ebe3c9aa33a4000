package io.jmesos.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jmesos.recordio.RecordIO;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * The RecordIO decoder (what the drivers read from the master and the agent): any bytes, split anywhere, give
 * records no longer than the bound, or a {@link RecordIO.DecodingException}; never another exception, and the
 * records re-encoded decode to the same records.
 */
@Timeout(120)
class RecordIOFuzzTest {

  /** Input: byte 0 = chunk size (1..64), bytes 1-2 = the record bound, the rest = the stream. */
  @FuzzTest(maxDuration = "10s")
  void decoder(byte[] data) {
    if (data.length < 3) {
      return;
    }
    int chunk = (data[0] & 0x3f) + 1;
    int max = ((data[1] & 0xff) << 8) | (data[2] & 0xff);
    RecordIO.Decoder decoder = new RecordIO.Decoder(max);
    List<byte[]> records = new ArrayList<>();
    try {
      for (int i = 3; i < data.length; i += chunk) {
        records.addAll(decoder.feed(data, i, Math.min(chunk, data.length - i)));
      }
    } catch (RecordIO.DecodingException e) {
      return; // bad input, said so
    }
    for (byte[] r : records) {
      assertThat(r.length).isLessThanOrEqualTo(max);
    }
    List<byte[]> again = new RecordIO.Decoder(max).feed(RecordIO.encodeAll(records));
    assertThat(again).hasSameSizeAs(records);
    for (int i = 0; i < records.size(); i++) {
      assertThat(Arrays.equals(again.get(i), records.get(i))).isTrue();
    }
  }
}

// Test infrastructure only: prints, for each key given on stdin (one per line, UTF-8), the
// partition the real Java producer picks for it (BuiltInPartitioner.partitionForKey, from the same
// kafka-clients jar the test broker runs) for several partition counts, and Utils.murmur2 itself.
// Run: kafka.sh java PartitionVectors.java < keys.txt   (Java's single-file source launcher)
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;

public class PartitionVectors {
    public static void main(String[] args) throws Exception {
        int[] counts = {1, 2, 3, 6, 10, 12, 32, 100};
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String key;
        while ((key = in.readLine()) != null) {
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            StringBuilder line = new StringBuilder();
            line.append(Utils.murmur2(bytes));
            for (int n : counts) line.append('\t').append(BuiltInPartitioner.partitionForKey(bytes, n));
            System.out.println(line);
        }
    }
}

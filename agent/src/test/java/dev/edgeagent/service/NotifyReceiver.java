package dev.edgeagent.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What systemd is on the other end of {@code $NOTIFY_SOCKET}: a real AF_UNIX SOCK_DGRAM socket,
 * bound by a small python3 child (the JDK cannot bind one), that prints each datagram it gets
 * on one line ({@code \n} inside a datagram written as {@code |}). Tests skip without python3.
 */
public final class NotifyReceiver implements AutoCloseable {
  private static final String SCRIPT = String.join("\n",
      "import socket, sys",
      "a = sys.argv[1]",
      "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
      "s.bind('\\0' + a[1:] if a.startswith('@') else a)",
      "print('BOUND', flush=True)",
      "while True:",
      "    d = s.recv(4096).decode()",
      "    print(d.replace('\\n', '|'), flush=True)");

  private final Process process;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final String address;

  private NotifyReceiver(String address) throws IOException, InterruptedException {
    this.address = address;
    process = new ProcessBuilder("python3", "-c", SCRIPT, address).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    if (!"BOUND".equals(first)) {
      process.destroyForcibly();
      throw new IOException("python3 could not bind " + address + ": " + first);
    }
    Thread reader = new Thread(() -> out.lines().forEach(received::add), "notify-receiver");
    reader.setDaemon(true);
    reader.start();
  }

  public static boolean available() {
    try {
      return new ProcessBuilder("python3", "-c", "import socket; socket.AF_UNIX").start().waitFor(20, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** A receiver on a socket file in {@code dir}. */
  public static NotifyReceiver onPath(Path dir) throws IOException, InterruptedException {
    return new NotifyReceiver(dir.resolve("notify.sock").toString());
  }

  /** A receiver in the abstract namespace ({@code @name}), as systemd itself sometimes uses. */
  public static NotifyReceiver onAbstractName() throws IOException, InterruptedException {
    return new NotifyReceiver("@edgeagent-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
  }

  public String address() {
    return address;
  }

  /** Every datagram so far, one string each ({@code |} between its lines). */
  public List<String> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    if (!address.startsWith("@")) {
      Files.deleteIfExists(Path.of(address));
    }
  }
}

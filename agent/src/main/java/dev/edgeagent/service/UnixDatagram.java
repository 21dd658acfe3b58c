package dev.edgeagent.service;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Sends one datagram to a Unix socket address through libc, via JNA: Java 17's
 * {@code java.nio} has Unix-domain stream channels only, and systemd's notify socket is
 * {@code SOCK_DGRAM}. An address starting with {@code '@'} is in the abstract namespace (as
 * systemd writes it in {@code $NOTIFY_SOCKET}). Linux only (the struct layout below is Linux's).
 */
final class UnixDatagram {
  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  // never block the caller (a full receive queue loses one ping, not a thread) and never SIGPIPE
  private static final int MSG_DONTWAIT = 0x40;
  private static final int MSG_NOSIGNAL = 0x4000;
  private static final int SUN_PATH_MAX = 108;

  /** The three libc calls, declared the way glibc exports them. */
  interface LibC extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrLen) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  private UnixDatagram() {}

  static void send(String address, String message) throws IOException {
    byte[] addr = sockaddr(address);
    byte[] payload = message.getBytes(StandardCharsets.UTF_8);
    LibC libc = Holder.LIBC;
    int fd;
    try {
      fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new IOException("socket(AF_UNIX, SOCK_DGRAM): errno " + e.getErrorCode(), e);
    }
    try {
      libc.sendto(fd, payload, new NativeLong(payload.length), MSG_DONTWAIT | MSG_NOSIGNAL, addr, addr.length);
    } catch (LastErrorException e) {
      throw new IOException("sendto(" + address + "): errno " + e.getErrorCode(), e);
    } finally {
      libc.close(fd);
    }
  }

  /**
   * struct sockaddr_un: a native-order sa_family_t, then the path. A file path ends with a NUL;
   * an abstract name starts with one and its length is exactly what is given (no NUL after it).
   */
  static byte[] sockaddr(String address) {
    boolean abstractName = address.startsWith("@");
    byte[] name = (abstractName ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
    int pathLen = name.length + 1;
    if (pathLen > SUN_PATH_MAX) {
      throw new IllegalArgumentException("unix socket address longer than " + (SUN_PATH_MAX - 1) + " bytes: " + address);
    }
    ByteBuffer b = ByteBuffer.allocate(2 + pathLen).order(ByteOrder.nativeOrder());
    b.putShort((short) AF_UNIX);
    if (abstractName) {
      b.put((byte) 0).put(name);
    } else {
      b.put(name).put((byte) 0);
    }
    return b.array();
  }
}

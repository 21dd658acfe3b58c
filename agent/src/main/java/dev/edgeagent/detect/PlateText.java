package dev.edgeagent.detect;

import dev.edgeagent.text.EditDistance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a line of text that was read could be a licence plate's registration. Plates around
 * the world are 4 to 9 capital letters and digits (a few separators), mostly mixing both;
 * what else the text detector finds on a road reads differently: clocks and dates of a video
 * overlay, words in mixed case, phrases of several words, long numbers, brand and model names,
 * state names and common sign words. The rules, in order:
 * <ol>
 *   <li>nothing read with enough confidence: {@link Verdict#UNREADABLE} (left to the caller);
 *   <li>a clock ({@code 12:59}, {@code 8:24:37}) or a date ({@code 2014-05-08}, {@code 08/05/14}):
 *       {@link Verdict#TIMESTAMP};
 *   <li>fewer than {@value #MIN_CHARS} letters and digits: not a plate when they are digits only
 *       and read with confidence {@value #SURE_FRAGMENT} or more (a house number); otherwise
 *       {@link Verdict#UNREADABLE} (what an illegible plate reads as; some registrations, such as
 *       German ones, can also be this short);
 *   <li>more than {@value #MAX_CHARS} letters and digits: not a plate (a sentence, a phone number);
 *   <li>two or more lower-case letters: not a plate (registrations are printed in capitals);
 *   <li>two or more words of three letters or more: not a plate (a phrase);
 *   <li>digits only: a plate when 5 to 8 digits (house numbers are shorter) separated by
 *       nothing but spaces (dates, clocks, prices and phone numbers have dashes, dots, slashes,
 *       colons);
 *   <li>letters only: not a plate when it is a word of the list, or close to one (one edit for
 *       five to seven letters, two for eight or more: the recogniser misreads chrome lettering) of
 *       {@code plate-words.txt}, words separated by white space (car makes and models, their badges, US states, sign words);
 *       otherwise a plate (personalised plates are words);
 *   <li>otherwise, letters and digits: a plate.
 * </ol>
 */
public final class PlateText {
  static final int MIN_CHARS = 4;
  static final int MAX_CHARS = 10;
  /** A short reading this sure is what the line says, not a fragment of an illegible plate. */
  static final double SURE_FRAGMENT = 0.9;

  /** TIMESTAMP is a NOT_PLATE that is never part of a plate either (a video overlay). */
  public enum Verdict { PLATE, NOT_PLATE, TIMESTAMP, UNREADABLE }

  private static final Pattern CLOCK = Pattern.compile("(?<![0-9])[0-9]{1,2}[:;][0-9]{2}(?![0-9])|[0-9]:[0-9]{2}:[0-9]");
  private static final Pattern DATE = Pattern.compile(
      "(?<![0-9])(19|20)[0-9]{2}[-/.=][0-9]{1,2}|[0-9]{1,4}[-/.=][0-9]{1,2}[-/.=][0-9]{0,4}");
  private static final Pattern NUMBER_SEPARATOR = Pattern.compile("[-/.:;=,]");
  private static final Set<String> WORDS = loadWords();

  private PlateText() {}

  /**
   * @param text what the recogniser read
   * @param confidence the mean probability of its characters
   * @param minConfidence below this the line counts as unreadable
   */
  public static Verdict judge(String text, double confidence, double minConfidence) {
    String alnum = alnum(text);
    if (confidence < minConfidence || alnum.isEmpty()) {
      return Verdict.UNREADABLE;
    }
    if (CLOCK.matcher(text).find() || (alnum.chars().allMatch(Character::isDigit) && DATE.matcher(text).find())) {
      return Verdict.TIMESTAMP;
    }
    if (alnum.length() < MIN_CHARS) {
      return confidence >= SURE_FRAGMENT && alnum.chars().allMatch(Character::isDigit)
          ? Verdict.NOT_PLATE : Verdict.UNREADABLE;
    }
    int letters = 0;
    int lower = 0;
    for (char c : alnum.toCharArray()) {
      if (Character.isLetter(c)) {
        letters++;
        if (Character.isLowerCase(c)) {
          lower++;
        }
      }
    }
    int digits = alnum.length() - letters;
    if (alnum.length() > MAX_CHARS || lower >= 2 || isPhrase(text)) {
      return Verdict.NOT_PLATE;
    }
    if (letters == 0) {
      return digits >= 5 && digits <= 8 && !NUMBER_SEPARATOR.matcher(text).find() ? Verdict.PLATE : Verdict.NOT_PLATE;
    }
    if (digits == 0) {
      return isKnownWord(alnum.toUpperCase(Locale.ROOT)) ? Verdict.NOT_PLATE : Verdict.PLATE;
    }
    return Verdict.PLATE;
  }

  /** The ASCII letters and digits of a reading, in order. */
  static String alnum(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isPhrase(String text) {
    int words = 0;
    for (String token : text.split("[^A-Za-z0-9]+")) {
      if (token.length() >= 3 && token.chars().allMatch(Character::isLetter)) {
        words++;
      }
    }
    return words >= 2;
  }

  /** The word is in the list, or a few substitutions, insertions or deletions from a word of it. */
  static boolean isKnownWord(String upper) {
    if (WORDS.contains(upper)) {
      return true;
    }
    int allowed = upper.length() >= 8 ? 2 : upper.length() >= 5 ? 1 : 0;
    if (allowed == 0) {
      return false;
    }
    for (String w : WORDS) {
      if (w.length() >= 5 && Math.abs(w.length() - upper.length()) <= allowed && EditDistance.between(w, upper) <= allowed) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> loadWords() {
    try (InputStream in = PlateText.class.getResourceAsStream("plate-words.txt")) {
      if (in == null) {
        throw new IllegalStateException("plate-words.txt missing from the jar");
      }
      Set<String> words = new HashSet<>();
      List<String> lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
      for (String line : lines) {
        if (line.startsWith("#")) {
          continue;
        }
        for (String token : line.split("\\s+")) {
          String w = alnum(token).toUpperCase(Locale.ROOT);
          if (!w.isEmpty()) {
            words.add(w);
          }
        }
      }
      return Set.copyOf(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

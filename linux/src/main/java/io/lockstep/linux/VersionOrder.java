package io.lockstep.linux;

/**
 * Orders package versions well enough to tell an upgrade from a downgrade: runs of digits compare
 * as numbers, runs of letters as text, and anything else separates runs ({@code 5.3.0-1 <
 * 5.3.1-broken}, {@code 5.10 > 5.9}). Not every rule of dpkg or rpm (epochs, {@code ~}) is kept:
 * the manager itself still decides; this only picks {@code rpm --oldpackage} or {@code yum
 * downgrade}.
 */
final class VersionOrder {

  private VersionOrder() {}

  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (true) {
      while (i < a.length() && !Character.isLetterOrDigit(a.charAt(i))) {
        i++;
      }
      while (j < b.length() && !Character.isLetterOrDigit(b.charAt(j))) {
        j++;
      }
      if (i >= a.length() || j >= b.length()) {
        return Boolean.compare(i < a.length(), j < b.length());
      }
      boolean digits = Character.isDigit(a.charAt(i));
      if (digits != Character.isDigit(b.charAt(j))) {
        return digits ? 1 : -1;
      }
      int si = i;
      int sj = j;
      while (i < a.length() && isSame(a.charAt(i), digits)) {
        i++;
      }
      while (j < b.length() && isSame(b.charAt(j), digits)) {
        j++;
      }
      String x = a.substring(si, i);
      String y = b.substring(sj, j);
      int c;
      if (digits) {
        x = x.replaceFirst("^0+(?=.)", "");
        y = y.replaceFirst("^0+(?=.)", "");
        c = x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
      } else {
        c = x.compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
  }

  private static boolean isSame(char c, boolean digits) {
    return digits ? Character.isDigit(c) : Character.isLetter(c);
  }
}

package dev.jbox.profile;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean …?" for misspelled keys and values: the closest candidate by edit distance. */
final class Suggestions {
    private Suggestions() {}

    /**
     * The candidate closest to {@code word}, if it is close enough to be a plausible typo: at most
     * one edit for short words, two for longer ones, and never the whole word.
     */
    static Optional<String> closest(String word, Collection<String> candidates) {
        int allowed = Math.min(word.length() <= 4 ? 1 : 2, Math.max(word.length() - 1, 0));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (Math.abs(candidate.length() - word.length()) > allowed) continue;
            int d = distance(word, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (bestDistance <= allowed) return Optional.of(best);
        // An abbreviation ("proto" for "protocol") is a typo too, when it is unambiguous.
        var extended = candidates.stream().filter(c -> word.length() >= 3 && c.toLowerCase(java.util.Locale.ROOT)
                .startsWith(word.toLowerCase(java.util.Locale.ROOT))).toList();
        return extended.size() == 1 ? Optional.of(extended.getFirst()) : Optional.empty();
    }

    /**
     * Optimal string alignment distance: Levenshtein plus adjacent transpositions ("mmeory"),
     * case-insensitive. Hand-written: twenty lines do not justify a dependency.
     */
    static int distance(String a, String b) {
        a = a.toLowerCase(java.util.Locale.ROOT);
        b = b.toLowerCase(java.util.Locale.ROOT);
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

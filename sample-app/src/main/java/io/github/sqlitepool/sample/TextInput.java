package io.github.sqlitepool.sample;

/**
 * Checks text that the API stores: it must come back exactly as the client sent it. A lone UTF-16
 * surrogate (from a JSON {@code "\ud800"}) is stored by SQLite as {@code ?}, and U+FFFD is what the
 * server decodes bytes that were not UTF-8 into; either way the story would be stored under a key
 * the client never sent, so both are refused.
 */
final class TextInput {

    /** Longest story or epic path, in characters. */
    static final int MAX_PATH_LENGTH = 512;

    /** Longest note or phase, in characters. */
    static final int MAX_TEXT_LENGTH = 4_000;

    private TextInput() {
    }

    /** @throws InvalidRequestException naming {@code field} when the value is too long or would not round-trip */
    static String check(String value, String field, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            throw new InvalidRequestException(field + " is " + value.length() + " characters long; at most "
                    + maxLength + " are accepted");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            }
            else if (Character.isSurrogate(ch)) {
                throw new InvalidRequestException(field + " contains a lone UTF-16 surrogate (\\u"
                        + Integer.toHexString(ch) + ") at index " + i + ", which cannot be stored as sent");
            }
            else if (ch == '\uFFFD') {
                throw new InvalidRequestException(field + " contains U+FFFD at index " + i
                        + ": the request was not valid UTF-8 there, so it cannot be stored as sent");
            }
        }
        return value;
    }
}

package io.github.sqlitepool.sample;

/** No story is stored under the requested path (HTTP 404). */
class StoryNotFoundException extends RuntimeException {

    StoryNotFoundException(String storyPath) {
        super("No story '" + storyPath + "'");
    }
}

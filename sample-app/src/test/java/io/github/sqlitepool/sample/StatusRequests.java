package io.github.sqlitepool.sample;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;

/** The status-change call the end-to-end tests make over real HTTP. */
final class StatusRequests {

    private StatusRequests() {
    }

    static ResponseSpec putStatus(RestTestClient client, String storyPath, StatusChangeRequest body) {
        return client.put()
                .uri("/api/stories/status?path={path}", storyPath)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange();
    }
}

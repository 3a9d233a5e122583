package io.tributary.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tributary.interaction.NormalizedInteraction;
import io.tributary.sandbox.SandboxData.Item;
import io.tributary.source.ConfiguredConnection;
import io.tributary.source.Connections;
import io.tributary.source.Existence;
import io.tributary.source.SourcePage;
import io.tributary.source.SyncMode;
import io.tributary.source.SyncRequest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.convention.TestBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detail calls that re-read open items, and the Flockx probe, against the simulated
 * upstreams over real HTTP: the demo connections' Zylon and Greenflash read items by
 * their listed ids, leaving out an id the upstream does not know; Flockx's detail answers
 * by the listed event id.
 */
@SandboxTest
class SandboxRefreshTests {

	@Autowired
	private Connections connections;

	@Autowired
	private SandboxData sandbox;

	@TestBean(methodName = SandboxTestSupport.CLOCK_FACTORY)
	private Clock clock;

	@Test
	void zylonAndGreenflashReadOpenItemsByTheirDetail() {
		for (String kind : List.of("zylon", "greenflash")) {
			ConfiguredConnection connection = this.connections.get(kind + "-demo");
			List<String> ids = new ArrayList<>(this.sandbox.visible(kind).stream().limit(3).map(Item::id).toList());
			ids.add(1, "no-such-interaction");

			List<SourcePage> pages = connection.connector().refresh(request(connection), ids).collectList().block();

			assertThat(connection.connector().refreshes()).isTrue();
			assertThat(pages).allSatisfy((page) -> assertThat(page.stream()).isEqualTo("open"));
			assertThat(pages).flatExtracting(SourcePage::items)
				.extracting(NormalizedInteraction::sourceId)
				.as(kind)
				.containsExactlyElementsOf(ids.stream().filter((id) -> !id.equals("no-such-interaction")).toList());
		}
	}

	@Test
	void flockxsDetailAnswersTheListedEventId() {
		ConfiguredConnection connection = this.connections.get("flockx-demo");
		List<Item> visible = this.sandbox.visible("flockx");
		String probe = SandboxData.eventId(visible.get(0), 0);
		String present = SandboxData.eventId(visible.get(1), 0);

		List<Existence> answers = connection.exists(List.of(present, "f10c0000-0000-0000-0000-7fffffff0000"), probe)
			.collectList()
			.block();

		assertThat(answers).extracting(Existence::state).containsExactly(Existence.State.PRESENT, Existence.State.GONE);
	}

	private static SyncRequest request(ConfiguredConnection connection) {
		return new SyncRequest(connection.name(), connection.connection(), connection.settings(), SyncMode.INCREMENTAL,
				Map.of(), Instant.now(), Map.of(), Set.of(), connection.personalData(), null);
	}

}

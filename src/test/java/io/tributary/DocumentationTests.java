package io.tributary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README, the pages under {@code docs/} and every other Markdown file of the
 * repository stay navigable: every relative link and image points at a file or directory
 * of the repository, every anchor at a heading (or an {@code id}) of its page, as GitHub
 * renders them; every {@code docs/} page is linked from the README; and the README's two
 * commands are the ones CI and the demo use.
 */
class DocumentationTests {

	private static final Path ROOT = Path.of("").toAbsolutePath();

	/** {@code [text](target)} and {@code ![alt](target)}, with an optional title. */
	private static final Pattern LINK = Pattern
		.compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*])*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

	private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");

	private static final Pattern EXPLICIT_ID = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

	private static final Pattern INLINE_CODE = Pattern.compile("(`+)(.+?)\\1");

	private final Map<Path, Set<String>> anchors = new HashMap<>();

	@Test
	void everyRelativeLinkAndAnchorResolves() throws IOException {
		List<String> broken = new ArrayList<>();
		for (Path page : pages()) {
			for (String target : links(page)) {
				String problem = problem(page, target);
				if (problem != null) {
					broken.add(ROOT.relativize(page) + ": (" + target + ") " + problem);
				}
			}
		}
		assertThat(broken).as("broken links in the documentation").isEmpty();
	}

	@Test
	void everyDocsPageIsLinkedFromTheReadme() throws IOException {
		Set<String> linked = new LinkedHashSet<>();
		for (String target : links(ROOT.resolve("README.md"))) {
			linked.add(target.replaceFirst("#.*", ""));
		}
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			assertThat(
					docs.filter((path) -> path.toString().endsWith(".md")).map((path) -> "docs/" + path.getFileName()))
				.as("docs pages the README does not link to")
				.allMatch(linked::contains);
		}
	}

	@Test
	void readmeShowsTheCommandsCiAndTheDemoUse() throws IOException {
		String readme = Files.readString(ROOT.resolve("README.md"));
		List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run"));
		String testCommand = ci.get(ci.size() - 1).strip();
		assertThat(testCommand).isEqualTo("./mvnw -B verify");
		assertThat(readme).contains("```bash\n" + testCommand + "\n```");
		assertThat(readme).contains("```bash\n./mvnw spring-boot:run -Dspring-boot.run.profiles=demo\n```");
		assertThat(readme).contains("tributary-demo-key");
	}

	/** Every Markdown file of the repository, but what builds and tools leave. */
	private static List<Path> pages() throws IOException {
		Set<String> skipped = Set.of(".git", "target", "node_modules", ".tributary", ".mvn");
		try (Stream<Path> files = Files.walk(ROOT)) {
			List<Path> pages = files
				.filter((path) -> ROOT.relativize(path).toString().isEmpty()
						|| StreamSupport.stream(ROOT.relativize(path).spliterator(), false)
							.noneMatch((part) -> skipped.contains(part.toString())))
				.filter((path) -> path.toString().endsWith(".md") && Files.isRegularFile(path))
				.sorted()
				.toList();
			assertThat(pages).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/api.md"));
			return pages;
		}
	}

	/** Links outside fenced code blocks and inline code. */
	private static List<String> links(Path page) throws IOException {
		List<String> links = new ArrayList<>();
		boolean fenced = false;
		for (String line : Files.readAllLines(page)) {
			if (line.strip().startsWith("```")) {
				fenced = !fenced;
				continue;
			}
			if (fenced) {
				continue;
			}
			Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
			while (link.find()) {
				links.add(link.group(1));
			}
		}
		return links;
	}

	private String problem(Path page, String target) {
		if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
			return null; // https:, mailto:, …: not checked offline
		}
		int hash = target.indexOf('#');
		String file = URLDecoder.decode((hash < 0) ? target : target.substring(0, hash), StandardCharsets.UTF_8);
		String anchor = (hash < 0) ? null : target.substring(hash + 1);
		Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
		if (!resolved.startsWith(ROOT)) {
			return "leaves the repository";
		}
		if (!Files.exists(resolved)) {
			return "no such file";
		}
		if (anchor == null) {
			return null;
		}
		if (!resolved.toString().endsWith(".md")) {
			return "an anchor into a file that is not Markdown";
		}
		return anchorsOf(resolved).contains(anchor) ? null : "no heading with anchor #" + anchor;
	}

	private Set<String> anchorsOf(Path page) {
		return this.anchors.computeIfAbsent(page, (path) -> {
			try {
				return readAnchors(path);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	/** The anchors GitHub gives a page's headings (repeats get -1, -2, …). */
	static Set<String> readAnchors(Path page) throws IOException {
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		boolean fenced = false;
		for (String line : Files.readAllLines(page)) {
			if (line.strip().startsWith("```")) {
				fenced = !fenced;
				continue;
			}
			if (fenced) {
				continue;
			}
			Matcher id = EXPLICIT_ID.matcher(line);
			while (id.find()) {
				anchors.add(id.group(1));
			}
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String slug = slug(heading.group(2));
				int count = seen.merge(slug, 1, Integer::sum);
				anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
			}
		}
		return anchors;
	}

	/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
	static String slug(String heading) {
		String text = heading.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
		return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
	}

	@Test
	void slugsAreGithubs() {
		assertThat(slug("Bulkheads: what one payload may cost")).isEqualTo("bulkheads-what-one-payload-may-cost");
		assertThat(slug("`GET /api/v1/interactions/{id}`")).isEqualTo("get-apiv1interactionsid");
		assertThat(slug("Sources and sync runs")).isEqualTo("sources-and-sync-runs");
		assertThat(slug("What the vendors leave open, and what the gateway does"))
			.isEqualTo("what-the-vendors-leave-open-and-what-the-gateway-does");
	}

}

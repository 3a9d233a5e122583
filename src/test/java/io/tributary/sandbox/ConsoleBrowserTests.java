package io.tributary.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.StreamSupport;

import io.tributary.sandbox.SandboxTestSupport.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (Debian's {@code chromium}, headless, through
 * {@code chromedriver}) against the demo profile after a full sync of its three simulated
 * upstreams: a reader enters its key, filters, pages, opens an interaction, its thread
 * and its person, draws a chart and exports; an operator starts a sync and a
 * renormalization and sees the runs appear. What the page shows is compared with what the
 * API answers for the same request. Skipped, saying why, where no browser is installed
 * ({@code .ci/run} installs it).
 * <p>
 * {@code -Dconsole.screenshots=docs} also saves a screenshot of each main view there
 * ({@code scripts/console-screenshots.sh}).
 */
@SandboxTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "browserInstalled",
		disabledReason = "the console's browser test needs Debian's chromium and chromium-driver "
				+ "(/usr/bin/chromium, /usr/bin/chromedriver): apt-get install chromium chromium-driver; "
				+ ".ci/run installs them")
class ConsoleBrowserTests {

	private static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path
		.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));

	private static final String SCREENSHOTS = System.getProperty("console.screenshots", "");

	private static final Duration PATIENCE = Duration.ofSeconds(15);

	/**
	 * Selenium warns that it has no DevTools module for this Chromium; the test speaks
	 * WebDriver only and needs none. Held here: the JDK keeps loggers weakly.
	 */
	private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger
		.getLogger("org.openqa.selenium");

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JsonMapper json;

	@Autowired
	private JdbcClient jdbc;

	@TestBean(methodName = SandboxTestSupport.CLOCK_FACTORY)
	private Clock clock;

	@LocalServerPort
	private int port;

	private Gateway gateway;

	private ChromeDriver browser;

	private Path downloads;

	static boolean browserInstalled() {
		return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
	}

	@BeforeAll
	void syncTheDemoAndStartTheBrowser() throws Exception {
		this.gateway = new Gateway(this.mvc, this.json, this.jdbc);
		this.gateway.reset();
		for (String connection : SandboxTestSupport.CONNECTIONS) {
			this.gateway.awaitRun(this.gateway.trigger(connection, "full"));
		}
		SELENIUM_LOG.setLevel(Level.SEVERE);
		this.downloads = Files.createTempDirectory("console-downloads");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toString());
		// root in CI: Chromium's sandbox needs a user namespace a container may not give
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1280,800", "--lang=en-GB", "--no-first-run", "--disable-extensions");
		options.setExperimentalOption("prefs",
				Map.of("download.default_directory", this.downloads.toString(), "download.prompt_for_download", false));
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
		this.browser.manage().timeouts().scriptTimeout(PATIENCE);
	}

	@AfterAll
	void quit() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@BeforeEach
	void freshTab() {
		this.browser.manage().window().setSize(new Dimension(1280, 800));
		// cleared on a page that runs no script, so no sign-in of the last test can store
		// its key again
		this.browser.get(url("/console/config.json"));
		script("sessionStorage.clear()");
		this.browser.get(url("/"));
		visible("#view-login");
	}

	@Test
	void theDemoKeyIsOfferedAndTheKeyStaysInTheTab() {
		assertThat(text("#demo-note")).contains("documented demo key tributary-demo-key")
			.contains("read and operate")
			.contains("Never use it outside the demo");
		assertThat(this.browser.findElement(By.id("api-key")).getDomProperty("value")).isEqualTo("tributary-demo-key");
		assertThat(this.browser.findElement(By.id("api-key")).getDomAttribute("type")).isEqualTo("password");

		click("#login-submit");
		visible("#view-connections");
		assertThat(script("return sessionStorage.getItem('tributary.console.apiKey')")).isEqualTo("tributary-demo-key");
		assertThat(script("return localStorage.length + document.cookie.length")).isEqualTo(0L);

		// a key the gateway refuses sends the user back to the key form, saying so
		script("sessionStorage.setItem('tributary.console.apiKey', 'not-a-key-0123456789')");
		this.browser.navigate().refresh();
		visible("#view-login");
		assertThat(text("#login-error")).contains("refused this key");
		assertThat(script("return sessionStorage.getItem('tributary.console.apiKey')")).isNull();
		assertNoPolicyViolations();
	}

	@Test
	void aReaderSeesTheConnectionsFiltersPagesAndOpensAnInteractionItsThreadAndItsPerson() throws Exception {
		signIn(SandboxTest.READER_KEY);
		// connections: health, lag, last run and stored rows, as /api/v1/sources says; no
		// buttons that change state
		waitUntil(() -> rows("#sources-table tbody tr[data-connection]").size() == 3);
		JsonNode sources = this.gateway.getJson("/api/v1/sources");
		for (JsonNode source : sources) {
			WebElement row = this.browser.findElement(
					By.cssSelector("#sources-table tr[data-connection='" + source.get("connection").asString() + "']"));
			assertThat(row.findElement(By.cssSelector(".health")).getText()).contains(source.get("health").asString());
			assertThat(row.getText()).contains("#" + source.at("/lastRun/id").asLong() + " full")
				.contains(String.format("%,d", source.get("interactions").asLong()));
		}
		assertThat(text("#key-state")).isEqualTo("Key with scope read");
		assertThat(this.browser.findElements(By.xpath("//button[text()='Sync now']"))).isEmpty();
		assertThat(rows("#runs-table tbody tr[data-run]")).hasSize(3);
		click("button[aria-label='Rejects of zylon-demo']");
		waitUntil(() -> text("#rejects-table").contains("zylon-demo has no rejects"));
		screenshot("connections");

		// the list with filters, as the API answers the same query
		click("#nav a[data-view=interactions]");
		waitUntil(() -> rows("#interactions-table tbody tr[data-id]").size() == 50);
		check("#filter-sources input[value=zylon]");
		check("#filter-sources input[value=greenflash]");
		check("#filters input[name=status][value=completed]");
		new Select(this.browser.findElement(By.id("f-limit"))).selectByVisibleText("25");
		type("#f-q", "refund");
		click("#apply-filters");
		waitUntil(() -> this.browser.getCurrentUrl().contains("q=refund"));
		String query = "source=greenflash&source=zylon&status=completed&q=refund&limit=25";
		JsonNode first = this.gateway.getJson("/api/v1/interactions?" + query);
		assertThat(first.at("/page/hasNext").asBoolean()).as("the demo has more than a page of such rows").isTrue();
		waitUntil(() -> ids().equals(idsOf(first)));
		assertThat(rows("#interactions-table tbody tr[data-id]"))
			.allSatisfy((row) -> assertThat(row.getText()).containsAnyOf("zylon", "greenflash").contains("completed"));
		assertThat(text("#list-freshness")).startsWith("Data as of ");
		screenshot("interactions");

		// keyset pages forward and back
		click("#page-next");
		JsonNode second = this.gateway
			.getJson("/api/v1/interactions?" + query + "&cursor=" + first.at("/page/nextCursor").asString());
		waitUntil(() -> ids().equals(idsOf(second)));
		assertThat(text("#page-label")).startsWith("Page 2");
		click("#page-prev");
		waitUntil(() -> ids().equals(idsOf(first)));
		assertThat(this.browser.findElement(By.id("page-prev")).isEnabled()).isFalse();

		// a time range and rating bounds narrow it further; the API decides, the page
		// follows
		JsonNode oldest = this.gateway.getJson("/api/v1/interactions?source=greenflash&sort=createdAt&limit=1")
			.at("/items/0");
		String from = oldest.get("createdAt").asString();
		script("document.getElementById('f-from').value = arguments[0]", from.substring(0, 19));
		uncheck("#filter-sources input[value=zylon]");
		uncheck("#filters input[name=status][value=completed]");
		this.browser.findElement(By.id("f-q")).clear();
		type("#f-min", "0.5");
		type("#f-max", "1");
		click("#apply-filters");
		JsonNode rated = this.gateway.getJson(
				"/api/v1/interactions?source=greenflash&createdFrom=" + from + "&minRating=0.5&maxRating=1&limit=25");
		waitUntil(() -> ids().equals(idsOf(rated)));
		assertThat(rated.get("items").size()).isPositive();
		click("#reset-filters");
		waitUntil(() -> rows("#interactions-table tbody tr[data-id]").size() == 50);

		// the detail pane: the conversation, the rating with its source, raw on request
		JsonNode withThread = this.gateway.getJson("/api/v1/interactions?source=zylon&status=completed&limit=1")
			.at("/items/0");
		String id = withThread.get("id").asString();
		this.browser.get(url("/#/interaction/" + id));
		visible("#detail");
		JsonNode detail = this.gateway.getJson("/api/v1/interactions/" + id);
		waitUntil(() -> rows("#detail-body .conversation li").size() == detail.get("messages").size());
		assertThat(text("#detail-body")).contains(detail.at("/messages/0/text").asString())
			.contains(detail.get("connection").asString());
		assertThat(this.browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("detail-title");
		screenshot("interaction");
		click("#show-raw");
		waitUntil(() -> text("#raw-json").contains(detail.get("sourceId").asString()));
		this.browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
		waitUntil(() -> !this.browser.findElement(By.id("detail")).isDisplayed());

		// a rated Greenflash item shows where its rating came from
		JsonNode ratedItem = rated.at("/items/0");
		this.browser.get(url("/#/interaction/" + ratedItem.get("id").asString()));
		waitUntil(() -> text("#detail-body").contains("from " + ratedItem.at("/rating/source").asString()));

		// its thread, oldest turn first, as /api/v1/threads/{connection}/{threadId}
		// answers
		this.browser.get(url("/#/interaction/" + id));
		waitUntil(() -> text("#detail-body").contains(withThread.get("threadId").asString()));
		this.browser.findElement(By.linkText(withThread.get("threadId").asString())).click();
		visible("#view-thread");
		JsonNode thread = this.gateway.getJson("/api/v1/threads/zylon-demo/" + withThread.get("threadId").asString());
		waitUntil(() -> rows("#thread-turns > li").size() == thread.get("items").size());
		assertThat(text("#thread-turns")).contains(thread.at("/items/0/inputText").asString());
		screenshot("thread");

		// a person's timeline across sources
		click("#nav a[data-view=people]");
		JsonNode people = this.gateway.getJson("/api/v1/participants?limit=25");
		String person = people.at("/items/0/externalParticipantId").asString();
		waitUntil(() -> !this.browser.findElements(By.linkText(person)).isEmpty());
		this.browser.findElement(By.linkText(person)).click();
		visible("#view-person");
		JsonNode timeline = this.gateway.getJson("/api/v1/participants/" + person + "/interactions?limit=50");
		waitUntil(() -> rows("#timeline > li.event").size() == timeline.get("items").size());
		assertThat(text("#person-title")).isEqualTo("Timeline of " + person);
		screenshot("person");

		// a chart per source and day over all time, with the data's freshness
		click("#nav a[data-view=charts]");
		new Select(this.browser.findElement(By.id("c-period"))).selectByValue("all");
		waitUntil(() -> rows("#chart-svg g.series-group").size() == 3);
		assertThat(rows("#chart-svg g.series-group")).extracting((group) -> group.getDomAttribute("data-series"))
			.containsExactly("flockx", "greenflash", "zylon");
		assertThat(rows("#chart-svg circle")).hasSizeGreaterThan(3 * 20);
		assertThat(text("#chart-freshness")).startsWith("Data as of ");
		screenshot("charts");
		new Select(this.browser.findElement(By.id("c-metric"))).selectByValue("avgRating");
		new Select(this.browser.findElement(By.id("c-group"))).selectByValue("model");
		JsonNode models = this.gateway.getJson("/api/v1/interactions/stats?groupBy=model");
		long ratedModels = StreamSupport.stream(models.get("groups").spliterator(), false)
			.filter((group) -> !group.get("avgRating").isNull())
			.count();
		waitUntil(() -> rows("#chart-svg g.series-group").size() == ratedModels);

		// export: the key goes in the header, the file lands as a download
		click("#nav a[data-view=interactions]");
		waitUntil(() -> rows("#interactions-table tbody tr[data-id]").size() == 50);
		check("#filter-sources input[value=flockx]");
		click("#apply-filters");
		waitUntil(() -> this.browser.getCurrentUrl().contains("source=flockx"));
		click("#export-csv");
		Path csv = this.downloads.resolve("interactions.csv");
		waitUntil(() -> Files.exists(csv) && text("#status").startsWith("Exported"));
		List<String> lines = Files.readAllLines(csv);
		assertThat(lines.get(0)).startsWith("id,");
		long flockx = this.gateway.count("flockx-demo");
		assertThat(lines.stream().skip(1).filter((line) -> line.contains(",flockx,flockx-demo,")).count())
			.isEqualTo(flockx);
		assertNoPolicyViolations();
	}

	@Test
	void anOperatorStartsASyncAndARenormalizationAndSeesTheirRuns() throws Exception {
		signIn(SandboxTest.FULL_KEY);
		waitUntil(() -> rows("#sources-table tbody tr[data-connection]").size() == 3);
		assertThat(text("#key-state")).isEqualTo("Key with scope read and operate");
		long before = latestRun();

		click("button[aria-label='Sync zylon-demo now']");
		waitUntil(() -> text("#status").matches("Run #\\d+ \\(incremental\\) of zylon-demo started\\."));
		long run = Long.parseLong(text("#status").replaceAll("^Run #(\\d+).*$", "$1"));
		assertThat(run).isGreaterThan(before);
		assertThat(this.gateway.getJson("/api/v1/sync-runs/" + run).get("connection").asString())
			.isEqualTo("zylon-demo");
		WebElement row = waitFor("#runs-table tr[data-run='" + run + "']");
		assertThat(row.getText()).contains("zylon-demo").contains("incremental");
		// the page follows the run to its end by itself
		this.gateway.awaitRun(run);
		waitUntil(() -> this.browser.findElement(By.cssSelector("#runs-table tr[data-run='" + run + "']"))
			.getText()
			.contains("succeeded"));

		click("button[aria-label='Renormalize flockx-demo']");
		waitUntil(() -> text("#status").matches("Run #\\d+ \\(renormalize\\) of flockx-demo started\\."));
		long renormalize = Long.parseLong(text("#status").replaceAll("^Run #(\\d+).*$", "$1"));
		waitFor("#runs-table tr[data-run='" + renormalize + "']");
		this.gateway.awaitRun(renormalize);
		waitUntil(() -> this.browser.findElement(By.cssSelector("#runs-table tr[data-run='" + renormalize + "']"))
			.getText()
			.contains("renormalize"));
		assertNoPolicyViolations();
	}

	@Test
	void everyControlHasALabelAndNothingOverflowsAtDesktopOrPhoneWidth() throws Exception {
		signIn(SandboxTest.READER_KEY);
		for (String view : List.of("connections", "interactions", "threads", "people", "charts")) {
			this.browser.get(url("/#/" + view));
			visible("#view-" + view);
			waitUntil(() -> !rows("#view-" + view + " tbody tr").isEmpty() || view.equals("charts"));
			Object unlabelled = script("""
					return [...document.querySelectorAll('#view-%s input, #view-%s select, #view-%s button')]
					  .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute('aria-label')
					    && !c.textContent.trim())
					  .map((c) => c.outerHTML);""".formatted(view, view, view));
			assertThat((List<?>) unlabelled).as(view).isEmpty();
			for (Dimension size : List.of(new Dimension(1280, 800), new Dimension(390, 844))) {
				this.browser.manage().window().setSize(size);
				waitUntil(() -> (Long) script("return document.documentElement.scrollWidth") <= (Long) script(
						"return document.documentElement.clientWidth"));
			}
			this.browser.manage().window().setSize(new Dimension(1280, 800));
		}
		this.browser.manage().window().setSize(new Dimension(390, 844));
		this.browser.get(url("/#/interactions"));
		waitUntil(() -> rows("#interactions-table tbody tr[data-id]").size() == 50);
		screenshot("phone-interactions");
		rows("#interactions-table tbody tr[data-id] button").get(0).click();
		visible("#detail");
		screenshot("phone-interaction");
		click("#detail-close");
		waitUntil(() -> !this.browser.findElement(By.id("detail")).isDisplayed());
		assertNoPolicyViolations();
	}

	private void signIn(String key) {
		WebElement input = this.browser.findElement(By.id("api-key"));
		input.clear();
		input.sendKeys(key);
		click("#login-submit");
		visible("#view-connections");
	}

	private long latestRun() throws Exception {
		return this.gateway.getJson("/api/v1/sync-runs?limit=1").at("/items/0/id").asLong();
	}

	private List<String> ids() {
		return rows("#interactions-table tbody tr[data-id]").stream()
			.map((row) -> row.getDomAttribute("data-id"))
			.toList();
	}

	private static List<String> idsOf(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.get("items").forEach((item) -> ids.add(item.get("id").asString()));
		return ids;
	}

	/**
	 * The page itself may not break its own policy: no inline script, style or foreign
	 * source.
	 */
	private void assertNoPolicyViolations() {
		List<String> violations = this.browser.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.map(LogEntry::getMessage)
			.filter((message) -> message.contains("Content Security Policy") || message.contains("Uncaught"))
			.toList();
		assertThat(violations).isEmpty();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private List<WebElement> rows(String css) {
		return this.browser.findElements(By.cssSelector(css));
	}

	private String text(String css) {
		List<WebElement> found = rows(css);
		return found.isEmpty() ? "" : found.get(0).getText();
	}

	/** Clicks it, finding it again when the page re-rendered it in between. */
	private void click(String css) {
		new WebDriverWait(this.browser, PATIENCE).ignoring(StaleElementReferenceException.class).until((driver) -> {
			List<WebElement> found = driver.findElements(By.cssSelector(css));
			if (found.isEmpty() || !found.get(0).isDisplayed()) {
				return false;
			}
			found.get(0).click();
			return true;
		});
	}

	private void type(String css, String text) {
		WebElement input = waitFor(css);
		input.clear();
		input.sendKeys(text);
	}

	private void check(String css) {
		WebElement box = waitFor(css);
		if (!box.isSelected()) {
			box.click();
		}
	}

	private void uncheck(String css) {
		WebElement box = waitFor(css);
		if (box.isSelected()) {
			box.click();
		}
	}

	private WebElement waitFor(String css) {
		return new WebDriverWait(this.browser, PATIENCE).ignoring(StaleElementReferenceException.class)
			.until((driver) -> {
				List<WebElement> found = driver.findElements(By.cssSelector(css));
				return (!found.isEmpty() && found.get(0).isDisplayed()) ? found.get(0) : null;
			});
	}

	private void visible(String css) {
		waitFor(css);
	}

	private void waitUntil(java.util.function.BooleanSupplier condition) {
		new WebDriverWait(this.browser, PATIENCE).ignoring(StaleElementReferenceException.class)
			.until((driver) -> condition.getAsBoolean());
	}

	private Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.browser).executeScript(script, arguments);
	}

	/**
	 * With {@code -Dconsole.screenshots=DIR}: the viewport as
	 * {@code DIR/console-NAME.png}.
	 */
	private void screenshot(String name) throws IOException {
		if (SCREENSHOTS.isEmpty()) {
			return;
		}
		script("window.scrollTo(0, 0)");
		Path directory = Files.createDirectories(Path.of(SCREENSHOTS));
		Path shot = this.browser.getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(shot, directory.resolve("console-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

}

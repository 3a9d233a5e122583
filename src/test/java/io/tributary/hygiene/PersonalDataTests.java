package io.tributary.hygiene;

import java.util.List;

import io.tributary.hygiene.PersonalData.Mode;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Field paths and what the personal-data rule does with the fields they match.
 */
class PersonalDataTests {

	/** 36 characters. */
	private static final String KEY = "test-key-0123456789-abcdefghijklmnop";

	/** {@code printf %s ana@example.com | openssl dgst -sha256 -hmac "$KEY"}. */
	private static final String ANA_EMAIL = "hmac-sha256:51b1da84557c8bf981daf9238a541869570ebfddbba65289318bd528fd585678";

	/** The same for {@code Ana}. */
	private static final String ANA_NAME = "hmac-sha256:f227779d15633c1d8a85587ecc9f09e86371d109f48c5d45158fe1ed901bca6d";

	/** The same for {@code 4711}. */
	private static final String NUMBER_4711 = "hmac-sha256:c6511ba62097564f9bbe2067374c98ef76120934f82054610a72b50b9ee579e8";

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void hashesAreHmacSha256UnderTheKeyAsOpensslComputesThem() {
		PersonalData rule = PersonalData.of(Mode.HASH, KEY, List.of("email", "name", "id_number"));

		JsonNode result = rule.apply(tree("{'id':'1','email':'ana@example.com','name':'Ana','id_number':4711}"));

		assertThat(result.get("email").asString()).isEqualTo(ANA_EMAIL);
		assertThat(result.get("name").asString()).isEqualTo(ANA_NAME);
		assertThat(result.get("id_number").asString()).as("a number is hashed as its JSON text").isEqualTo(NUMBER_4711);
		assertThat(result.get("id").asString()).isEqualTo("1");
	}

	@Test
	void theSameValueUnderTheSameKeyHashesTheSameAcrossRulesAndAnotherKeyDiffers() {
		PersonalData one = PersonalData.of(Mode.HASH, KEY, List.of("a.email"));
		PersonalData again = PersonalData.of(Mode.HASH, KEY, List.of("b.email", "a.email"));
		PersonalData other = PersonalData.of(Mode.HASH, KEY.replace('0', '1'), List.of("a.email"));
		JsonNode item = tree("{'a':{'email':'ana@example.com'}}");

		assertThat(one.apply(item).at("/a/email").asString()).isEqualTo(ANA_EMAIL)
			.isEqualTo(again.apply(item).at("/a/email").asString())
			.isNotEqualTo(other.apply(item).at("/a/email").asString());
		assertThat(one.hash("ana@example.com")).isEqualTo(ANA_EMAIL);
	}

	@Test
	void anEmailAddressIsOnePersonWhateverItsCaseAndSurroundingSpace() {
		PersonalData rule = PersonalData.of(Mode.HASH, KEY, List.of("email"));

		assertThat(rule.hash(" Ana@Example.COM ")).isEqualTo(ANA_EMAIL);
		assertThat(rule.hash("ANA")).as("other text is taken as it is").isNotEqualTo(rule.hash("Ana"));
	}

	@Test
	void namesDotsAndArraysLeadToTheField() {
		PersonalData rule = PersonalData.of(Mode.REMOVE, null, List.of("created_by.email"));

		JsonNode result = rule.apply(tree("""
				{'id':'1','email':'top@x.io','created_by':{'email':'ana@example.com','name':'Ana'},
				 'other':{'created_by':{'email':'deep@x.io'}}}"""));

		assertThat(result.at("/created_by").toString()).isEqualTo("{\"name\":\"Ana\"}");
		assertThat(result.get("email").asString()).as("only the path's field").isEqualTo("top@x.io");
		assertThat(result.at("/other/created_by/email").asString()).isEqualTo("deep@x.io");
	}

	@Test
	void elementsAreReachedWithOrWithoutTheirWildcard() {
		String item = """
				{'id':'1','messages':[{'author':{'email':'a@x.io','role':'user'}},{'author':{'email':'b@x.io'}},'text',
				  [{'author':{'email':'c@x.io'}}]]}""";

		for (String path : List.of("messages[*].author.email", "messages.author.email")) {
			JsonNode result = PersonalData.of(Mode.REMOVE, null, List.of(path)).apply(tree(item));

			assertThat(result.toString()).as(path).doesNotContain("@x.io").contains("\"role\":\"user\"");
			assertThat(result.get("messages")).as(path).hasSize(4);
		}
	}

	@Test
	void anElementWildcardRemovesElementsAndHashesEachOfThem() {
		JsonNode item = tree("{'id':'1','aliases':['ana@example.com','Ana'],'tags':['x']}");

		assertThat(PersonalData.of(Mode.REMOVE, null, List.of("aliases[*]")).apply(item).toString())
			.isEqualTo("{\"id\":\"1\",\"aliases\":[],\"tags\":[\"x\"]}");
		assertThat(PersonalData.of(Mode.HASH, KEY, List.of("aliases[*]")).apply(item).get("aliases").toString())
			.isEqualTo("[\"" + ANA_EMAIL + "\",\"" + ANA_NAME + "\"]");
	}

	@Test
	void aStarIsAnyOneNameAndTwoStarsAnyDepth() {
		JsonNode item = tree("""
				{'id':'1','email':'top@x.io','participant':{'email':'p@x.io','name':'Ana'},
				 'a':{'b':[{'c':{'email':'deep@x.io','emails':'kept'}}]}}""");

		JsonNode star = PersonalData.of(Mode.REMOVE, null, List.of("participant.*")).apply(item);
		JsonNode anyDepth = PersonalData.of(Mode.REMOVE, null, List.of("**.email")).apply(item);
		JsonNode middle = PersonalData.of(Mode.REMOVE, null, List.of("a.**.email")).apply(item);

		assertThat(star.get("participant").toString()).isEqualTo("{}");
		assertThat(star.get("email").asString()).isEqualTo("top@x.io");
		assertThat(anyDepth.toString()).doesNotContain("@x.io").contains("\"emails\":\"kept\"");
		assertThat(middle.get("email").asString()).isEqualTo("top@x.io");
		assertThat(middle.at("/participant/email").asString()).isEqualTo("p@x.io");
		assertThat(middle.toString()).doesNotContain("deep@x.io");
	}

	@Test
	void quotedNamesHoldWhatPlainNamesCannot() {
		JsonNode item = tree("{'id':'1','metadata':{'user.email':'ana@example.com','user':{'email':'kept'}}}");

		JsonNode result = PersonalData.of(Mode.REMOVE, null, List.of("metadata[\"user.email\"]")).apply(item);

		assertThat(result.get("metadata").toString()).isEqualTo("{\"user\":{\"email\":\"kept\"}}");
		assertThat(PersonalData.of(Mode.REMOVE, null, List.of("metadata['user.email']")).apply(item)).isEqualTo(result);
	}

	@Test
	void aMatchedObjectKeepsItsShapeWithEveryStringAndNumberHashed() {
		PersonalData rule = PersonalData.of(Mode.HASH, KEY, List.of("participant"));

		JsonNode result = rule.apply(tree("""
				{'id':'1','participant':{'email':'ana@example.com','n':4711,'vip':true,'nick':null,'empty':'',
				 'names':['Ana']}}"""));

		assertThat(result.get("participant").toString()).isEqualTo("{\"email\":\"" + ANA_EMAIL + "\",\"n\":\""
				+ NUMBER_4711 + "\",\"vip\":true,\"nick\":null,\"empty\":\"\",\"names\":[\"" + ANA_NAME + "\"]}");
	}

	@Test
	void aReceivedValueThatLooksLikeAHashIsHashedLikeAnyOther() {
		PersonalData rule = PersonalData.of(Mode.HASH, KEY, List.of("**.email"));

		JsonNode posing = rule.apply(tree("{'id':'2','email':'" + ANA_EMAIL + "'}"));

		assertThat(posing.get("email").asString()).isEqualTo(rule.hash(ANA_EMAIL)).isNotEqualTo(ANA_EMAIL);
	}

	@Test
	void reapplyingTheRuleToAStoredItemHashesNothingTwice() {
		PersonalData rule = PersonalData.of(Mode.HASH, KEY, List.of("**.email"));
		JsonNode once = rule.apply(tree("{'id':'1','email':'ana@example.com','x':[{'email':'b@x.io'}]}"));

		assertThat(rule.reapply(once)).isSameAs(once);
		assertThat(once.get("email").asString()).isEqualTo(ANA_EMAIL);
		assertThat(rule.reapply(tree("{'id':'1','email':'ana@example.com'}")).get("email").asString())
			.as("stored before the rule")
			.isEqualTo(ANA_EMAIL);
	}

	@Test
	void aFieldAddedLaterGoesThroughTheRuleAloneAndTheRestIsNotHashedTwice() {
		PersonalData rule = PersonalData.of(Mode.HASH, KEY, List.of("**.email"));
		JsonNode item = rule.apply(tree("{'id':'1','email':'ana@example.com','n':1}"));
		tools.jackson.databind.node.ObjectNode added = ((tools.jackson.databind.node.ObjectNode) item).deepCopy();
		added.set("feedback", tree("{'author':{'email':'ana@example.com'},'text':'ok'}"));

		JsonNode result = rule.applyToField(added, "feedback");

		assertThat(result.get("email").asString()).isEqualTo(ANA_EMAIL);
		assertThat(result.at("/feedback/author/email").asString()).isEqualTo(ANA_EMAIL);
		assertThat(result.at("/feedback/text").asString()).isEqualTo("ok");
		assertThat(result.properties().stream().map(java.util.Map.Entry::getKey).toList()).containsExactly("id",
				"email", "n", "feedback");
		assertThat(PersonalData.of(Mode.REMOVE, null, List.of("feedback.author")).applyToField(added, "feedback"))
			.isEqualTo(tree("{'id':'1','email':'" + ANA_EMAIL + "','n':1,'feedback':{'text':'ok'}}"));
		assertThat(rule.applyToField(item, "feedback")).as("no such field").isSameAs(item);
	}

	@Test
	void theInputIsLeftAloneAndWhatIsNotMatchedIsShared() {
		JsonNode item = tree("{'id':'1','participant':{'email':'ana@example.com'},'messages':[{'text':'hi'}]}");
		String before = item.toString();

		JsonNode result = PersonalData.of(Mode.HASH, KEY, List.of("participant.email")).apply(item);

		assertThat(item.toString()).isEqualTo(before);
		assertThat(result.get("messages")).isSameAs(item.get("messages"));
		assertThat(result.at("/participant/email").asString()).isEqualTo(ANA_EMAIL);
	}

	@Test
	void nothingMatchedOrModeKeepGivesTheSameInstance() {
		JsonNode item = tree("{'id':'1','participant':{'email':'ana@example.com'}}");

		assertThat(PersonalData.of(Mode.HASH, KEY, List.of("created_by.email")).apply(item)).isSameAs(item);
		assertThat(PersonalData.of(Mode.KEEP, null, List.of("participant.email")).apply(item)).isSameAs(item);
		assertThat(PersonalData.KEEP.apply(item)).isSameAs(item);
	}

	@Test
	void fieldOrderIsKept() {
		JsonNode result = PersonalData.of(Mode.HASH, KEY, List.of("b"))
			.apply(tree("{'a':1,'b':'ana@example.com','c':3,'id':'1'}"));

		assertThat(result.propertyNames()).containsExactly("a", "b", "c", "id");
	}

	@Test
	void pathsThatAreNotOneAreRefusedWithTheirProblem() {
		assertInvalid("created_by..email", "a name is missing at character 12");
		assertInvalid(".email", "a name is missing at character 1");
		assertInvalid("email.", "a name is missing after the last '.'");
		assertInvalid("e*", "'*' stands alone");
		assertInvalid("messages[0].text", "array indexes are not supported");
		assertInvalid("metadata[\"user.email\"", "is not closed");
		assertInvalid("metadata[\"\"]", "is empty");
		assertInvalid("user name", "needs the quoted form");
		assertInvalid("messages[*]author", "'.' or '[' expected at character 12");
		assertInvalid(" ", "a path is empty");
	}

	@Test
	void pathsThatWouldTakeTheItemsIdAreRefused() {
		for (String path : List.of("id", "*", "**", "**.id", "[\"id\"]")) {
			assertThatIllegalArgumentException().as(path)
				.isThrownBy(() -> PersonalData.of(Mode.REMOVE, null, List.of(path)))
				.withMessageContaining("would also match the item's id");
		}
		assertThat(PersonalData.of(Mode.REMOVE, null, List.of("participant.id", "**.user_id")).paths()).hasSize(2);
	}

	@Test
	void hashingNeedsAKeyOfAtLeast32Characters() {
		assertThatIllegalArgumentException().isThrownBy(() -> PersonalData.of(Mode.HASH, null, List.of("email")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PersonalData.of(Mode.HASH, "x".repeat(31), List.of("email")))
			.withMessageNotContaining("xxx");
		assertThat(PersonalData.of(Mode.HASH, "x".repeat(32), List.of("email")).mode()).isEqualTo(Mode.HASH);
	}

	@Test
	void theRuleNeverShowsItsKey() {
		assertThat(PersonalData.of(Mode.HASH, KEY, List.of("email")).toString()).doesNotContain(KEY)
			.contains("hash", "email");
	}

	@Test
	void manyPathsStillMatchOneByOne() {
		List<String> paths = new java.util.ArrayList<>();
		for (int i = 0; i < 40; i++) {
			paths.add("f" + i + ".x");
		}
		JsonNode result = PersonalData.of(Mode.REMOVE, null, paths).apply(tree("{'id':'1','f39':{'x':1,'y':2}}"));

		assertThat(result.toString()).isEqualTo("{\"id\":\"1\",\"f39\":{\"y\":2}}");
	}

	private static void assertInvalid(String path, String problem) {
		assertThatIllegalArgumentException().as(path)
			.isThrownBy(() -> PersonalData.of(Mode.REMOVE, null, List.of(path)))
			.withMessageContaining("is not a field path")
			.withMessageContaining(problem);
	}

	private JsonNode tree(String json) {
		return this.json.readTree(json.replace('\'', '"'));
	}

}

package io.stepbox.specfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stepbox.workflows.egress.EgressSecret;
import io.stepbox.workflows.spec.ApprovalSpec;
import io.stepbox.workflows.spec.InputSpec;
import io.stepbox.workflows.spec.LimitsSpec;
import io.stepbox.workflows.spec.NetworkSpec;
import io.stepbox.workflows.spec.SecretSpec;
import io.stepbox.workflows.spec.SpecError;
import io.stepbox.workflows.spec.StepSpec;
import io.stepbox.workflows.spec.TaskSpec;
import io.stepbox.workflows.spec.TaskSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSpecReaderTest {
  @TempDir Path dir;

  private static String example() throws IOException {
    try (InputStream in = TaskSpecReaderTest.class.getResourceAsStream("/specs/fix-calc.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> errors(String yaml) {
    TaskSpecException e =
        catchThrowableOfType(
            TaskSpecException.class, () -> TaskSpecReader.parse(yaml, false, Path.of("/base")));
    assertThat(e).as("spec should be refused:\n%s", yaml).isNotNull();
    return e.errors().stream().map(SpecError::toString).toList();
  }

  @Test
  void readsTheIssuesExampleAndResolvesInputsAgainstTheFilesFolder() throws IOException {
    Path file = dir.resolve("tasks/fix-calc.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, example());

    TaskSpec spec = TaskSpecReader.read(file);

    assertThat(spec.name()).isEqualTo("fix-calc");
    assertThat(spec.image()).isEqualTo("stepbox/python:bookworm");
    assertThat(spec.limits()).isEqualTo(new LimitsSpec(1.0, "1g", 512, "10m", "1m", null));
    assertThat(spec.network()).isEqualTo(NetworkSpec.NONE);
    assertThat(spec.inputs())
        .containsExactly(
            Map.entry(
                "repo",
                new InputSpec(dir.resolve("tasks/demo/repo.git").toString(), "/src/repo.git")));
    assertThat(spec.env()).containsExactly(Map.entry("PIP_NO_INDEX", "1"));
    assertThat(spec.secrets()).containsExactly(SecretSpec.env("GITHUB_TOKEN"));
    assertThat(spec.envSecrets()).containsExactly("GITHUB_TOKEN");
    assertThat(spec.steps()).extracting(s -> s.id()).containsExactly("clone", "test", "publish");
    assertThat(spec.steps().get(1).approaches())
        .singleElement()
        .satisfies(a -> assertThat(a.name()).isEqualTo("apply-fix"));
    assertThat(spec.steps().get(2).approval()).isEqualTo(new ApprovalSpec(true, "24h", "reject"));
    assertThat(spec.exports()).containsExactly("/workspace/out");
  }

  @Test
  void readsTheSameTaskFromJson() throws IOException {
    Path file = dir.resolve("t.json");
    Files.writeString(
        file,
        """
        {"name": "t", "image": "i", "inputs": {"repo": {"path": "../repo.git", "mount": "/src"}},
         "steps": [{"id": "a", "run": "true"}]}
        """);

    TaskSpec spec = TaskSpecReader.read(file);

    assertThat(spec.inputs().get("repo").path())
        .isEqualTo(dir.getParent().resolve("repo.git").toString());
  }

  @Test
  void unknownFieldsNameTheirPathAndTheKnownFields() {
    assertThat(errors("name: t\nimage: i\nsteps:\n  - id: a\n    run: x\n    approachs: []\n"))
        .containsExactly(
            "steps[0].approachs: unknown field; known fields here: approaches, approval, argv, env,"
                + " id, limits, network, run, workdir");
  }

  @Test
  void wrongTypesNameTheirPathAndTheExpectedType() {
    assertThat(errors("name: t\nimage: i\nlimits: {pids: lots}\nsteps: [{id: a, run: x}]\n"))
        .containsExactly("limits.pids: \"lots\" is not a whole number");
    assertThat(errors("name: t\nimage: i\nlimits: {pids: 1.5}\nsteps: [{id: a, run: x}]\n"))
        .containsExactly("limits.pids: \"1.5\" is not a whole number");
    assertThat(errors("name: t\nimage: i\nsteps: [{id: a, run: x, approval: {required: maybe}}]\n"))
        .containsExactly("steps[0].approval.required: \"maybe\" is not true or false");
    assertThat(errors("name: t\nimage: i\nsecrets: GITHUB_TOKEN\nsteps: [{id: a, run: x}]\n"))
        .containsExactly("secrets: expected a list, like [a, b]");
    assertThat(errors("name: t\nimage: i\nsteps:\n  - id: a\n    run: x\n    approaches: [fix]\n"))
        .containsExactly("steps[0].approaches[0]: expected a mapping of fields, like {key: value}");
  }

  @Test
  void networkIsANameOrAnEgressPolicyAtEveryLevel() {
    TaskSpec spec =
        TaskSpecReader.parse(
            """
            name: t
            image: i
            network:
              allow: [index.example.org, "*.files.example.org", "git.example.com:443"]
              deny: [private.example.org]
              onDenied: approve
            steps:
              - id: a
                run: x
                network: none
                approaches:
                  - {name: b, run: y, network: {allow: [pypi.org]}}
              - {id: c, run: z}
            """,
            false,
            dir);

    assertThat(spec.network())
        .isEqualTo(
            NetworkSpec.egress(
                List.of("index.example.org", "*.files.example.org", "git.example.com:443"),
                List.of("private.example.org"),
                "approve"));
    assertThat(spec.network().asksOnDenied()).isTrue();
    StepSpec a = spec.steps().get(0);
    assertThat(a.network()).isEqualTo(NetworkSpec.NONE);
    assertThat(a.approaches().get(0).network())
        .isEqualTo(NetworkSpec.egress(List.of("pypi.org"), List.of(), "fail"));
    assertThat(spec.steps().get(1).network()).as("no override").isNull();
  }

  @Test
  void secretsAreNamesOrEgressSecretsWithAHeaderOrBasicAuth() {
    TaskSpec spec =
        TaskSpecReader.parse(
            """
            name: t
            image: i
            network: {allow: [github.com, git.example.com]}
            secrets:
              - PIP_TOKEN
              - {name: GITHUB_TOKEN, hosts: [github.com], header: "Authorization: Bearer {value}"}
              - {name: GIT_TOKEN, hosts: [git.example.com], basicAuth: x-access-token}
            steps: [{id: a, run: x}]
            """,
            false,
            dir);

    assertThat(spec.envSecrets()).containsExactly("PIP_TOKEN");
    assertThat(spec.egressSecrets())
        .containsExactly(
            new EgressSecret(
                "GITHUB_TOKEN", List.of("github.com"), "Authorization: Bearer {value}", null),
            new EgressSecret("GIT_TOKEN", List.of("git.example.com"), null, "x-access-token"));
  }

  @Test
  void unknownFieldsAndWrongTypesInNetworksAndSecretsNameTheirPath() {
    assertThat(
            errors(
                "name: t\nimage: i\nnetwork: {allow: [a.org], onDenid: approve}\n"
                    + "steps: [{id: a, run: x}]\n"))
        .containsExactly(
            "network.onDenid: unknown field; known fields here: allow, deny, onDenied");
    assertThat(
            errors(
                """
                name: t
                image: i
                steps:
                  - {id: a, run: x, approaches: [{name: b, run: y, network: {allows: []}}]}
                """))
        .containsExactly(
            "steps[0].approaches[0].network.allows: unknown field; known fields here: allow, deny,"
                + " onDenied");
    assertThat(errors("name: t\nimage: i\nnetwork: [a.org]\nsteps: [{id: a, run: x}]\n"))
        .containsExactly(
            "network: expected none, a network name, or an egress policy like"
                + " {allow: [example.org]}");
    assertThat(errors("name: t\nimage: i\nsecrets: [[A]]\nsteps: [{id: a, run: x}]\n"))
        .containsExactly(
            "secrets[0]: expected a variable name, or an egress secret like"
                + " {name: TOKEN, hosts: [example.org]}");
    assertThat(
            errors("name: t\nimage: i\nnetwork: {allow: a.org}\nsteps: [{id: a, run: x}]\n"))
        .containsExactly("network.allow: expected a list, like [a, b]");
    assertThat(
            errors(
                "name: t\nimage: i\nsecrets: [{name: A, hosts: [a.org], token: x}]\n"
                    + "steps: [{id: a, run: x}]\n"))
        .containsExactly(
            "secrets[0].token: unknown field; known fields here: basicAuth, header, hosts, name");
  }

  @Test
  void syntaxErrorsAndDuplicateKeysGiveTheirLine() {
    assertThat(errors("name: t\nimage: \"unterminated\n"))
        .singleElement()
        .asString()
        .startsWith("not valid YAML at line 2")
        .contains("found unexpected end of stream");
    assertThat(errors("name: t\nname: u\nimage: i\nsteps: [{id: a, run: x}]\n"))
        .singleElement()
        .asString()
        .startsWith("not valid YAML at line 2")
        .contains("Duplicate field 'name'");
  }

  @Test
  void validationReportsEveryErrorOnceReadingSucceeds() {
    assertThat(
            errors(
                """
                name: t
                image: i
                limits: {memory: 12x}
                steps:
                  - {id: test, run: x}
                  - {id: test, run: ""}
                exports: [out]
                """))
        .containsExactly(
            "limits.memory: \"12x\" is not a size (use e.g. 512m, 1g)",
            "steps[1].id: duplicate id \"test\"",
            "steps[1].run: must not be empty",
            "exports[0]: \"out\" must be an absolute path, like /workspace/out");
  }

  @Test
  void emptyAndMissingFilesAreErrorsToo() {
    assertThat(errors("  \n")).containsExactly("the spec is empty");
    assertThat(errors("# only a comment\n")).containsExactly("the spec is empty");
    assertThat(errors("- a\n- b\n"))
        .containsExactly("expected a mapping of fields (name, image, steps, ...) at the top");
    TaskSpecException e =
        catchThrowableOfType(
            TaskSpecException.class, () -> TaskSpecReader.read(dir.resolve("nope.yaml")));
    assertThat(e.errors()).singleElement().asString().startsWith("no such file: ");
  }
}

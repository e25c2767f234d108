package io.scoreline.predict;

import io.scoreline.core.cli.VerboseOption;
import io.scoreline.core.error.JobException;
import io.scoreline.core.records.Json;
import io.scoreline.core.store.ObjectStore;
import io.scoreline.core.store.StoreOptions;
import io.scoreline.model.ModelRegistry;
import io.scoreline.model.ModelSpec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What models the store holds and which versions the aliases name, and moving an alias (promote or roll back). */
@Command(name = "models", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = "Lists, shows and promotes registered model versions.",
    subcommands = {ModelsCommand.ListVersions.class, ModelsCommand.Show.class, ModelsCommand.Promote.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "2:usage error (unknown model or version)", "4:store unavailable", "5:model.json damaged", "1:bug"})
final class ModelsCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Versions with their creation time, format, algorithm and size, and the aliases that name them.")
    static final class ListVersions implements Callable<Integer> {
        @Mixin private StoreOptions store;
        @Mixin private VerboseOption verbose;
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this model. Default: every model.")
        private String name;
        @Spec private CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ObjectStore target = store.open(ObjectStore.Use.READ)) {
                var registry = new ModelRegistry(target);
                List<String> names = name != null ? List.of(name) : registry.models();
                if (name != null && registry.versions(name).isEmpty()) throw noModel(name, target);
                if (names.isEmpty()) {  // not an empty table: a mistyped --store prefix on S3 looks just like an empty store
                    out.println("no models in " + target.describe() + " yet: 'predict.jar register' or scoreline.register adds one");
                    return 0;
                }
                // the algorithm last: a pipeline registered from Python is named by all its steps, wider than any column
                out.printf("%-20s %-20s %-20s %-6s %12s  %-20s %s%n", "MODEL", "VERSION", "CREATED_AT", "FORMAT", "SIZE", "ALIASES", "ALGORITHM");
                for (String model : names) {
                    Map<String, String> aliases = registry.aliases(model);
                    for (String version : registry.versions(model)) {
                        ModelSpec s = registry.readSpec(model, version).orElseThrow();
                        String named = aliases.entrySet().stream().filter(e -> e.getValue().equals(version))
                            .map(Map.Entry::getKey).collect(Collectors.joining(","));
                        out.printf("%-20s %-20s %-20s %-6s %12d  %-20s %s%n", model, version,
                            s.createdAt() == null ? "-" : s.createdAt().truncatedTo(ChronoUnit.SECONDS), s.format(),
                            s.size(), named.isEmpty() ? "-" : named, s.algorithm());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Prints a version's model.json (NAME alone: the version the production alias names).")
    static final class Show implements Callable<Integer> {
        @Mixin private StoreOptions store;
        @Mixin private VerboseOption verbose;
        @Parameters(paramLabel = "NAME[/VERSION]", description = "Model, optionally with a version.")
        private String ref;
        @Option(names = "--alias", defaultValue = "production", description = "Alias used when no version is given. Default: ${DEFAULT-VALUE}.")
        private String alias;
        @Spec private CommandSpec spec;

        @Override
        public Integer call() {
            String[] parts = ref.split("/", 2);
            try (ObjectStore target = store.open(ObjectStore.Use.READ)) {
                var registry = new ModelRegistry(target);
                if (registry.versions(parts[0]).isEmpty()) throw noModel(parts[0], target);
                String version = parts.length == 2 ? parts[1] : registry.resolve(parts[0], alias);
                ModelSpec s = registry.spec(parts[0], version);
                spec.commandLine().getOut().println(new String(Json.bytes(s), StandardCharsets.UTF_8));
            }
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Points an alias at an existing version (to roll back, promote the older version).")
    static final class Promote implements Callable<Integer> {
        @Mixin private StoreOptions store;
        @Mixin private VerboseOption verbose;
        @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
        private String name;
        @Parameters(index = "1", paramLabel = "VERSION", description = "Version the alias will name.")
        private String version;
        @Option(names = "--alias", defaultValue = "production", description = "Alias to move. Default: ${DEFAULT-VALUE}.")
        private String alias;
        @Spec private CommandSpec spec;

        @Override
        public Integer call() {
            try (ObjectStore target = store.open(ObjectStore.Use.WRITE)) {
                var registry = new ModelRegistry(target);
                if (registry.versions(name).isEmpty()) throw noModel(name, target);
                Optional<String> before = registry.promote(name, alias, version);
                spec.commandLine().getOut().printf("alias %s of model %s: %s -> %s%n", alias, name, before.orElse("(none)"), version);
            }
            return 0;
        }
    }

    private static JobException noModel(String name, ObjectStore store) {
        return JobException.usage("no model '" + name + "' in " + store.describe() + "; 'predict.jar models list' shows the models");
    }
}

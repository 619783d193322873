package dev.jbox.cli;

import dev.jbox.state.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Print detached sandboxes' records as a JSON array.",
        footer = {"", "Examples:", "  jbox inspect web", "  jbox inspect web 3f2a9c01b7e4 | jq '.[].status'"})
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID|NAME", arity = "1..*", description = "Sandboxes to show.")
    List<String> refs;

    @Override
    public Integer call() {
        List<Object> found = new ArrayList<>();
        int status = Targets.each(refs, false, (sandboxes, s) -> found.add(s.toJson()));
        System.out.println(Json.write(found));
        return status;
    }
}

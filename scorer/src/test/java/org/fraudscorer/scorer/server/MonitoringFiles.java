package org.fraudscorer.scorer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ops files beside {@code docker-compose.yml} ({@code monitoring/}): the PromQL expressions of the Grafana
 * dashboard and of the alert rules, and the metric names and {@code name{label="value"}} matchers they use, to
 * compare with what a scorer's Prometheus scrape holds.
 */
public final class MonitoringFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern EQUALS = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"([^\"]*)\"");

    private MonitoringFiles() {
    }

    /** The repository's {@code monitoring/} folder, found upwards from the working directory. */
    public static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("docker-compose.yml")) && Files.isDirectory(p.resolve("monitoring"))) {
                return p.resolve("monitoring");
            }
        }
        throw new IllegalStateException("no monitoring/ beside a docker-compose.yml above " + Path.of("").toAbsolutePath());
    }

    public static JsonNode dashboard() throws IOException {
        return JSON.readTree(dir().resolve("grafana-dashboard.json").toFile());
    }

    public static JsonNode yaml(String file) throws IOException {
        return YAML.readTree(dir().resolve(file).toFile());
    }

    /** Every {@code expr} of the dashboard's panel targets. */
    public static List<String> dashboardExpressions() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                out.add(t.path("expr").asText());
            }
        }
        return out;
    }

    /** Every {@code expr} of the alert rules. */
    public static List<String> alertExpressions() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode group : yaml("alerts.yml").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.add(rule.path("expr").asText());
            }
        }
        return out;
    }

    /** The metric names a PromQL expression reads (functions, keywords, label names and durations left out). */
    public static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"[^\"]*\"", "\"\"")            // strings
                .replaceAll("\\{[^}]*}", " ")                        // label matchers
                .replaceAll("\\[[^]]*]", " ")                        // range durations
                .replaceAll("\\b(by|without)\\s*\\([^)]*\\)", "")     // sum by (x) (…) → sum (…)
                .replaceAll("\\b(on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " $1 ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String id = m.group();
            int after = m.end();
            while (after < s.length() && s.charAt(after) == ' ') {
                after++;
            }
            boolean function = after < s.length() && s.charAt(after) == '(';
            boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!function && !number && !KEYWORDS.contains(id)) {
                names.add(id);
            }
        }
        return names;
    }

    /** The {@code label="value"} equality matchers of an expression, by metric name. */
    public static Map<String, List<String[]>> equalityMatchers(String expr) {
        Map<String, List<String[]>> out = new TreeMap<>();
        Matcher m = MATCHER.matcher(expr);
        while (m.find()) {
            Matcher e = EQUALS.matcher(m.group(2));
            while (e.find()) {
                out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(new String[] {e.group(1), e.group(2)});
            }
        }
        return out;
    }

    /** The metric names of a Prometheus text scrape. */
    public static Set<String> scrapedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /** Whether the scrape holds a series of {@code name} with {@code label="value"}. */
    public static boolean scrapedSeries(String scrape, String name, String label, String value) {
        String needle = label + "=\"" + value + "\"";
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") && line.substring(0, line.indexOf('}') + 1).contains(needle)) {
                return true;
            }
        }
        return false;
    }
}

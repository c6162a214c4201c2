package dev.nugator.it;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Rendered manifests as typed Kubernetes objects (fabric8's model): a field of the wrong type fails
 * to read, and a field the API does not have, which the model would keep aside in
 * {@code additionalProperties}, is refused too, with its path.
 */
final class ManifestsTyped {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<String, Class<?>> TYPES = Map.of(
            "v1/Namespace", Namespace.class, "v1/ConfigMap", ConfigMap.class, "v1/Secret", Secret.class,
            "v1/Service", Service.class, "apps/v1/DaemonSet", DaemonSet.class, "apps/v1/StatefulSet", StatefulSet.class,
            "batch/v1/Job", Job.class, "k8s.cni.cncf.io/v1/NetworkAttachmentDefinition", NetworkAttachmentDefinition.class);

    /** Multus's CRD, which fabric8's model does not have: its whole schema is a name and a config string. */
    record NetworkAttachmentDefinition(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
        record Spec(String config) {}
    }

    private ManifestsTyped() {}

    /** Every object, typed; an AssertionError lists every object that is not a valid one. */
    static List<Object> of(List<ObjectNode> objects) {
        var typed = new ArrayList<Object>();
        var problems = new ArrayList<String>();
        for (ObjectNode object : objects) {
            String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
            String name = type + " " + object.at("/metadata/name").asText();
            Class<?> javaType = TYPES.get(type);
            if (javaType == null) {
                problems.add(name + ": not a type these manifests should use");
                continue;
            }
            try {
                Object value = MAPPER.treeToValue(object, javaType);
                unknownFields(value, name, 0, problems);
                typed.add(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                problems.add(name + ": " + e.getOriginalMessage() + " at " + e.getLocation());
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("manifests that are not valid Kubernetes objects:\n  " + String.join("\n  ", problems));
        }
        return typed;
    }

    static <T> List<T> ofType(List<Object> typed, Class<T> type) {
        return typed.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(List<Object> typed, Class<T> type, String name) {
        return ofType(typed, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " among " + typed.size() + " objects"));
    }

    private static void unknownFields(Object value, String path, int depth, List<String> problems) {
        if (value == null || depth > 40) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", depth + 1, problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, depth + 1, problems));
            return;
        }
        if (value instanceof Record record) {
            for (var component : record.getClass().getRecordComponents()) {
                component.getAccessor().setAccessible(true);
                unknownFields(invoke(component.getAccessor(), record), path + "." + component.getName(), depth + 1, problems);
            }
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8") || value instanceof JsonNode) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                unknownFields(field, path + "." + getter.getName().substring(3), depth + 1, problems);
            }
        }
    }

    private static Object invoke(Method getter, Object value) {
        try {
            return getter.invoke(value);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }
}

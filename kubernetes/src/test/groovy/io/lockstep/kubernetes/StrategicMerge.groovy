package io.lockstep.kubernetes

/**
 * Applies a strategic merge patch as the API server does for the built-in kinds Helm charts hold
 * (Deployments, Services, ConfigMaps...): lists of objects merge element by element on their merge
 * key ({@code name} for containers, env, volumes; {@code containerPort} or {@code port} for ports;
 * {@code mountPath} for volumeMounts), {@code $setElementOrder/<list>} orders them, {@code $patch:
 * delete|replace} and {@code $retainKeys} are honoured, a null deletes. A plain JSON merge patch
 * (what the CRUD store does) would replace a Deployment's containers with the patch's partial
 * entries and keep the directives as literal keys.
 */
class StrategicMerge {

    private static final Map<String, String> MERGE_KEYS = [
            containers: 'name', initContainers: 'name', ephemeralContainers: 'name', env: 'name',
            volumes: 'name', imagePullSecrets: 'name', volumeMounts: 'mountPath', volumeDevices: 'devicePath',
            hostAliases: 'ip', topologySpreadConstraints: 'topologyKey', conditions: 'type']

    static Map<String, Object> apply(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> result = copy(target) as Map<String, Object>
        Map<String, List> orders = [:]
        List<String> retain = null
        patch.each { String key, Object value ->
            if (key == '$patch') {
                return // handled by the caller, where the map is one value
            }
            if (key == '$retainKeys') {
                retain = value as List<String>
            } else if (key.startsWith('$setElementOrder/')) {
                orders[key.substring('$setElementOrder/'.length())] = value as List
            } else if (key.startsWith('$deleteFromPrimitiveList/')) {
                String field = key.substring('$deleteFromPrimitiveList/'.length())
                if (result[field] instanceof List) {
                    result[field] = (result[field] as List).findAll { !(it in (value as List)) }
                }
            } else if (value == null) {
                result.remove(key)
            } else if (value instanceof Map) {
                Map map = value as Map
                if (map['$patch'] == 'delete') {
                    result.remove(key)
                } else if (map['$patch'] == 'replace') {
                    result[key] = copy(map.findAll { k, v -> k != '$patch' })
                } else {
                    result[key] = apply(result[key] instanceof Map ? result[key] as Map : [:], map)
                }
            } else if (value instanceof List) {
                String mergeKey = mergeKey(key, value as List)
                result[key] = mergeKey == null ? copy(value) : mergeList(result[key] instanceof List ? result[key] as List : [], value as List, mergeKey)
            } else {
                result[key] = value
            }
        }
        orders.each { field, order -> if (result[field] instanceof List) result[field] = reorder(result[field] as List, order, mergeKey(field, order)) }
        if (retain != null) {
            result.keySet().retainAll(retain)
        }
        result
    }

    /** The field's merge key when the list holds objects; null (replace the list) for primitives. */
    private static String mergeKey(String field, List elements) {
        if (elements.isEmpty() || !elements.every { it instanceof Map }) {
            return elements.isEmpty() ? MERGE_KEYS[field] : null
        }
        if (field == 'ports') {
            return elements.any { (it as Map).containsKey('containerPort') } ? 'containerPort' : 'port'
        }
        MERGE_KEYS[field] ?: (elements.every { (it as Map).containsKey('name') } ? 'name' : null)
    }

    private static List mergeList(List current, List patch, String mergeKey) {
        if (patch.any { it instanceof Map && it['$patch'] == 'replace' }) {
            return copy(patch.findAll { !(it instanceof Map && it['$patch'] == 'replace') }) as List
        }
        List result = copy(current) as List
        patch.each { Map element ->
            int index = result.findIndexOf { it instanceof Map && it[mergeKey] == element[mergeKey] }
            if (element['$patch'] == 'delete') {
                if (index >= 0) result.remove(index)
            } else if (index >= 0) {
                result[index] = apply(result[index] as Map, element)
            } else {
                result << apply([:], element)
            }
        }
        result
    }

    /** Orders as the directive lists; elements it does not name keep their order after those. */
    private static List reorder(List list, List order, String mergeKey) {
        def keyOf = { mergeKey != null && it instanceof Map ? it[mergeKey] : it }
        List keys = order.collect(keyOf)
        List named = keys.collect { k -> list.find { keyOf(it) == k } }.findAll { it != null }
        named + list.findAll { !(keyOf(it) in keys) }
    }

    private static Object copy(Object value) {
        if (value instanceof Map) {
            Map<String, Object> map = new LinkedHashMap<>()
            (value as Map).each { k, v -> map[k as String] = copy(v) }
            return map
        }
        if (value instanceof List) {
            return (value as List).collect { copy(it) }
        }
        value
    }
}

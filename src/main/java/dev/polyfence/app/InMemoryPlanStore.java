package dev.polyfence.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Plans in memory: lost on restart; for one instance and for tests. */
public class InMemoryPlanStore implements PlanStore {

	private final Map<String, Plan> plans = new ConcurrentHashMap<>();

	private final Map<String, List<ApplyRecord>> applies = new ConcurrentHashMap<>();

	@Override
	public void save(Plan plan) {
		plans.put(plan.id(), plan);
	}

	@Override
	public Optional<Plan> find(String id) {
		return Optional.ofNullable(plans.get(id));
	}

	@Override
	public void saveApply(ApplyRecord record) {
		applies.computeIfAbsent(record.planId(), id -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(record);
	}

	@Override
	public List<ApplyRecord> appliesOf(String planId) {
		return new ArrayList<>(applies.getOrDefault(planId, List.of()));
	}
}

package dev.polyfence.app;

import java.util.List;
import java.util.Optional;

/** Where plans and their applies are kept. */
public interface PlanStore {

	void save(Plan plan);

	Optional<Plan> find(String id);

	void saveApply(ApplyRecord record);

	List<ApplyRecord> appliesOf(String planId);
}

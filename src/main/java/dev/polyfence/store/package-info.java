/**
 * The persistence edge: plans, applies, the audit trail and the target locks in a
 * relational database (H2 by default, PostgreSQL for several replicas), behind the ports
 * that {@code app} defines. The schema is Flyway's, in {@code db/migration/{vendor}}.
 */
package dev.polyfence.store;

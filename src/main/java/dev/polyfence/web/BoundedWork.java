package dev.polyfence.web;

import dev.polyfence.app.Checkpoints;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs translations and plans on a fixed pool of worker threads, each within the time
 * budget ({@link WorkSettings}). The request thread waits for its job and stops it
 * (interrupts its worker, which the core's loops check) when the budget is spent, when
 * the client has closed its connection, or when the service shuts down and the shutdown
 * grace is over. It then answers at once; the worker stops at its next check.
 *
 * <p>
 * The pool bounds the processors that such work can hold, whatever the number of
 * requests: the others wait for a worker, and their wait counts against their budget.
 *
 * <p>
 * Stopped before the web server's graceful shutdown (the highest lifecycle phase stops
 * first), so a long translation does not keep the service from stopping: running work has
 * {@code polyfence.work.shutdown-grace} to finish, then it is stopped and its caller gets
 * 503 {@code shutting-down}.
 */
@Component
class BoundedWork implements SmartLifecycle, DisposableBean {

	/** Counter: work stopped before its end, by use case and reason. */
	static final String CANCELLED = "polyfence.work.cancelled";

	/**
	 * Gauge: work on a worker thread now, stopped work that has not yet ended included.
	 */
	static final String RUNNING = "polyfence.work.running";

	static final String TRANSLATION = "translation";

	static final String PLAN = "plan";

	private static final Logger log = LoggerFactory.getLogger(BoundedWork.class);

	/** How often a waiting request looks at its deadline and its client. */
	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final WorkSettings settings;

	private final MeterRegistry registry;

	/** The worker pool while started (a stopped context may be started again). */
	private volatile ThreadPoolExecutor workers;

	private final ScheduledExecutorService watchdog;

	private final Set<Job<?>> jobs = ConcurrentHashMap.newKeySet();

	private final AtomicInteger running = new AtomicInteger();

	BoundedWork(WorkSettings settings, ObjectProvider<MeterRegistry> registry) {
		this.settings = settings;
		this.registry = registry.getIfAvailable(CompositeMeterRegistry::new);
		this.watchdog = Executors.newSingleThreadScheduledExecutor(daemons("polyfence-work-watchdog-"));
		this.watchdog.scheduleWithFixedDelay(() -> jobs.forEach(Job::interruptAgain), 100, 100, TimeUnit.MILLISECONDS);
		Gauge.builder(RUNNING, running, AtomicInteger::get)
			.description("Translations and plans on a worker thread now, stopped ones not yet ended included")
			.register(this.registry);
	}

	/**
	 * Runs {@code work} on a worker and waits for it within the time budget.
	 * @param useCase {@value #TRANSLATION} or {@value #PLAN}, for the logs and metrics
	 * @param caller the caller's name, for the logs
	 * @param request the request, whose client is watched; its body must have been read
	 * @throws WorkStoppedException when the work was stopped before its end
	 */
	<T> T run(String useCase, String caller, HttpServletRequest request, Function<Checkpoints, T> work) {
		long started = System.nanoTime();
		long deadline = started + settings.timeBudget().toNanos();
		Job<T> job = new Job<>(checkpoints -> {
			running.incrementAndGet();
			try {
				return work.apply(checkpoints);
			}
			finally {
				running.decrementAndGet();
			}
		}, jobs::remove);
		submit(job);
		ClientConnection client = ClientConnection.of(request);
		try {
			while (!job.awaitSettled(Math.min(POLL_NANOS, Math.max(deadline - System.nanoTime(), POLL_NANOS / 10)))) {
				if (System.nanoTime() - deadline >= 0) {
					job.cancel(WorkStoppedException.Reason.OVER_BUDGET);
				}
				else if (client.gone()) {
					job.cancel(WorkStoppedException.Reason.CLIENT_GONE);
				}
			}
		}
		catch (InterruptedException ex) {
			if (!job.cancel(WorkStoppedException.Reason.SHUTDOWN)) {
				// It is storing: that is short, and its result stands.
				awaitUninterruptibly(job);
			}
			Thread.currentThread().interrupt();
		}
		try {
			return job.outcome(settings.timeBudget());
		}
		catch (WorkStoppedException ex) {
			stopped(useCase, caller, job.policy(), ex.reason(), System.nanoTime() - started);
			throw ex;
		}
	}

	private static void awaitUninterruptibly(Job<?> job) {
		boolean settled = false;
		while (!settled) {
			try {
				settled = job.awaitSettled(POLL_NANOS);
			}
			catch (InterruptedException ex) {
				// Asked again to stop waiting: the flag is set again by the caller.
			}
		}
	}

	private void submit(Job<?> job) {
		ThreadPoolExecutor pool = workers;
		if (pool == null) {
			throw new WorkStoppedException(WorkStoppedException.Reason.SHUTDOWN, settings.timeBudget());
		}
		jobs.add(job);
		try {
			pool.execute(job);
		}
		catch (RejectedExecutionException ex) {
			jobs.remove(job);
			throw new WorkStoppedException(WorkStoppedException.Reason.SHUTDOWN, settings.timeBudget());
		}
	}

	/** One line, no stack trace, no document: who, which policy, why, after how long. */
	private void stopped(String useCase, String caller, String policy, WorkStoppedException.Reason reason, long nanos) {
		Counter.builder(CANCELLED)
			.description("Translations and plans stopped before their end, by reason")
			.tag("use_case", useCase)
			.tag("reason", reason.tag())
			.register(registry)
			.increment();
		String which = policy == null ? "a policy not read yet" : "policy " + policy;
		long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
		switch (reason) {
			case OVER_BUDGET -> log.warn("{} of {} by {} stopped: over its time budget of {} ms", useCase, which,
					caller, settings.timeBudget().toMillis());
			case CLIENT_GONE -> log.info("{} of {} by {} stopped after {} ms: the client closed its connection",
					useCase, which, caller, millis);
			case SHUTDOWN -> log.info("{} of {} by {} stopped after {} ms: the service is shutting down", useCase,
					which, caller, millis);
		}
	}

	@Override
	public synchronized void start() {
		if (workers == null) {
			workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
					new LinkedBlockingQueue<>(), daemons("polyfence-work-"));
		}
	}

	/**
	 * Takes no more work, lets running work finish within the shutdown grace, then stops
	 * what is left.
	 */
	@Override
	public void stop() {
		ThreadPoolExecutor pool;
		synchronized (this) {
			pool = workers;
			workers = null;
		}
		if (pool == null) {
			return;
		}
		pool.shutdown();
		long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
		while (!jobs.isEmpty() && System.nanoTime() - deadline < 0) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		jobs.forEach(job -> job.cancel(WorkStoppedException.Reason.SHUTDOWN));
	}

	@Override
	public boolean isRunning() {
		return workers != null;
	}

	@Override
	public void destroy() {
		stop();
		watchdog.shutdownNow();
	}

	private static ThreadFactory daemons(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return runnable -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}

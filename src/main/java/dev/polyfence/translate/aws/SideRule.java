package dev.polyfence.translate.aws;

import dev.polyfence.policy.Action;
import dev.polyfence.translate.Flattener;
import dev.polyfence.translate.IntervalSet;
import dev.polyfence.translate.PeerSet;

/**
 * One policy rule as one side of a group (its ingress or its egress) sees it: the peers
 * and services it matches, resolved for AWS. A rule may become several side rules at one
 * position when part of it is enforced elsewhere (by another group's security group, or
 * by the network ACL); they keep the rule's name, so findings can name it.
 */
record SideRule(String rule, Action action, PeerSet peers, IntervalSet services) {

	boolean isAllow() {
		return action == Action.ALLOW;
	}

	boolean isEmpty() {
		return peers.isEmpty() || services.isEmpty();
	}

	Flattener.Matcher matcher() {
		return new Flattener.Matcher(peers, services, action);
	}

	SideRule withPeers(PeerSet newPeers) {
		return new SideRule(rule, action, newPeers, services);
	}

	SideRule withServices(IntervalSet newServices) {
		return new SideRule(rule, action, peers, newServices);
	}

}

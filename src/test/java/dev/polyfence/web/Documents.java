package dev.polyfence.web;

/** Request bodies for the web tests, written out as a client would send them. */
final class Documents {

	private Documents() {
	}

	/**
	 * The spec's three-tier example with bindings for every cloud, in YAML; no targets,
	 * so all three.
	 */
	static final String THREE_TIER_YAML = """
			policy:
			  apiVersion: polyfence.dev/v1
			  kind: NetworkPolicy
			  metadata:
			    name: payments
			    description: Three-tier payments service
			  spec:
			    defaults:
			      ingress: deny
			      egress: allow
			    addressSets:
			      partners: [198.51.100.0/24, "2001:db8:1::/48"]
			    groups:
			      - name: web
			      - name: app
			      - name: db
			    rules:
			      - name: block-scanners
			        action: deny
			        direction: ingress
			        appliesTo: ["*"]
			        peers: [{cidr: 203.0.113.0/24}]
			      - name: https-from-internet
			        action: allow
			        direction: ingress
			        appliesTo: [web]
			        peers: [{any: true}]
			        services: [{protocol: tcp, ports: ["443"]}]
			      - name: web-to-app
			        action: allow
			        direction: ingress
			        appliesTo: [app]
			        peers: [{group: web}]
			        services: [{protocol: tcp, ports: ["8080-8081"]}]
			      - name: partners-to-db
			        action: allow
			        direction: ingress
			        appliesTo: [db]
			        peers: [{addressSet: partners}, {group: app}]
			        services: [{protocol: tcp, ports: ["5432"]}, {protocol: icmp, icmpType: 8}]
			        log: true
			bindings:
			  aws:
			    region: eu-west-1
			    vpcId: vpc-0a1b2c3d
			    groups:
			      web: {securityGroupName: payments-web, subnetIds: [subnet-1], cidrs: [10.0.1.0/24]}
			      app: {subnetIds: [subnet-2], cidrs: [10.0.2.0/24]}
			      db: {subnetIds: [subnet-3], cidrs: [10.0.3.0/24]}
			  azure:
			    subscriptionId: 00000000-0000-0000-0000-000000000000
			    resourceGroup: payments-rg
			    location: westeurope
			    priorityBase: 100
			    groups:
			      web: {networkSecurityGroupName: payments-web, applicationSecurityGroupName: payments-web-asg, cidrs: [10.1.1.0/24]}
			      app: {applicationSecurityGroupName: payments-app-asg, cidrs: [10.1.2.0/24]}
			      db: {cidrs: [10.1.3.0/24]}
			  gcp:
			    project: payments-prod
			    network: prod-vpc
			    priorityBase: 1000
			    groups:
			      web: {targetTags: [web], cidrs: [10.2.1.0/24]}
			      app: {targetTags: [app], cidrs: [10.2.2.0/24]}
			      db: {serviceAccount: db@payments-prod.iam.gserviceaccount.com, cidrs: [10.2.3.0/24]}
			""";

	/** One group and one rule, no bindings, AWS only, in JSON. */
	static final String MINIMAL_AWS_JSON = """
			{
			  "policy": {
			    "apiVersion": "polyfence.dev/v1",
			    "kind": "NetworkPolicy",
			    "metadata": {"name": "shop"},
			    "spec": {
			      "groups": [{"name": "web"}],
			      "rules": [
			        {"name": "https-from-internet", "action": "allow", "direction": "ingress", "appliesTo": ["web"],
			         "peers": [{"any": true}], "services": [{"protocol": "tcp", "ports": ["443"]}]}
			      ]
			    }
			  },
			  "targets": ["aws"]
			}
			""";

	/** The same policy with no targets and no bindings: every cloud. */
	static final String MINIMAL_ALL_CLOUDS_JSON = MINIMAL_AWS_JSON.replace(",\n  \"targets\": [\"aws\"]", "");

	/** The same policy with GCP bindings only and no targets: GCP alone. */
	static final String MINIMAL_GCP_BOUND_JSON = MINIMAL_AWS_JSON.replace("\"targets\": [\"aws\"]",
			"\"bindings\": {\"gcp\": {\"project\": \"shop-prod\", \"network\": \"prod\", \"groups\": {\"web\": {\"targetTags\": [\"web\"]}}}}");

	/**
	 * Parses, but has three problems in different places: a non-canonical CIDR, a group
	 * that does not exist and a field the schema does not know.
	 */
	static final String INVALID_JSON = """
			{
			  "policy": {
			    "apiVersion": "polyfence.dev/v1",
			    "kind": "NetworkPolicy",
			    "metadata": {"name": "shop"},
			    "spec": {
			      "groups": [{"name": "web"}],
			      "rules": [
			        {"name": "from-office", "action": "allow", "direction": "ingress", "appliesTo": ["nowhere"],
			         "peers": [{"cidr": "10.0.0.1/8"}], "colour": "blue"}
			      ]
			    }
			  }
			}
			""";

	/** Not YAML or JSON at all. */
	static final String SYNTAX_ERROR_JSON = "{\"policy\": {\"apiVersion\": ";

	static final String SYNTAX_ERROR_YAML = "policy: [unclosed\n  - : :\n";

}

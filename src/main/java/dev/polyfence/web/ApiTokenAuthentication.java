package dev.polyfence.web;

import java.util.Collection;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A caller known by an API token. Its name ({@code token:<name>}) is what the service
 * records; the token itself is not kept, so there are no credentials to erase or to leak
 * through {@code toString}.
 */
final class ApiTokenAuthentication extends AbstractAuthenticationToken {

	private final String name;

	ApiTokenAuthentication(String name, Collection<? extends GrantedAuthority> authorities) {
		super(authorities);
		this.name = name;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return name;
	}

	@Override
	public String getName() {
		return name;
	}

}

package io.tributary.security;

import java.io.IOException;
import java.util.Enumeration;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads every header name and value once, first thing in each chain, so the HTTP firewall
 * (which checks headers as they are read) refuses a header with a control or unassigned
 * character on every endpoint, whether or not anything later reads that header.
 */
final class HeaderCheck implements Filter {

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest http) {
			Enumeration<String> names = http.getHeaderNames();
			while (names.hasMoreElements()) {
				Enumeration<String> values = http.getHeaders(names.nextElement());
				while (values.hasMoreElements()) {
					values.nextElement();
				}
			}
		}
		chain.doFilter(request, response);
	}

}

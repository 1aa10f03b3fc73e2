package dev.polyfence.testing.moto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One paged {@code Describe*} request of the AWS Query protocol: its {@code MaxResults}
 * and {@code NextToken} (here simply the offset of the page), and how to cut the full
 * answer to that page. The answer's list is the root's first child element whose children
 * are all {@code item}s ({@code securityGroupRuleSet}, {@code securityGroupInfo},
 * {@code networkAclSet}, ...).
 */
final class Paging {

	private final List<String> otherParameters;

	private final int maxResults;

	private final int offset;

	private Paging(List<String> otherParameters, int maxResults, int offset) {
		this.otherParameters = otherParameters;
		this.maxResults = maxResults;
		this.offset = offset;
	}

	/**
	 * The paging of a form-encoded request body, or null when it is not a paged Describe
	 * call.
	 */
	static Paging of(byte[] body) {
		String form = new String(body, StandardCharsets.UTF_8);
		List<String> others = new ArrayList<>();
		String action = null;
		Integer max = null;
		int offset = 0;
		for (String pair : form.split("&")) {
			int eq = pair.indexOf('=');
			String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			switch (key) {
				case "MaxResults" -> max = Integer.valueOf(value);
				case "NextToken" -> offset = Integer.parseInt(value);
				default -> {
					if (key.equals("Action")) {
						action = value;
					}
					others.add(pair);
				}
			}
		}
		if (action == null || !action.startsWith("Describe") || max == null) {
			return null;
		}
		return new Paging(others, max, offset);
	}

	byte[] bodyWithoutPaging() {
		return String.join("&", otherParameters).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The page of {@code xml}; {@code xml} itself when it fits in one page from the
	 * start.
	 */
	byte[] cut(byte[] xml) {
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setNamespaceAware(true);
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
			Element root = doc.getDocumentElement();
			Element list = itemList(root);
			if (list == null) {
				return xml;
			}
			List<Node> items = new ArrayList<>();
			for (Node n = list.getFirstChild(); n != null; n = n.getNextSibling()) {
				if (n.getNodeType() == Node.ELEMENT_NODE) {
					items.add(n);
				}
			}
			if (offset == 0 && items.size() <= maxResults) {
				return xml;
			}
			for (int i = 0; i < items.size(); i++) {
				if (i < offset || i >= offset + maxResults) {
					list.removeChild(items.get(i));
				}
			}
			if (offset + maxResults < items.size()) {
				Element token = doc.createElementNS(root.getNamespaceURI(), "nextToken");
				token.setTextContent(Integer.toString(offset + maxResults));
				root.appendChild(token);
			}
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(out));
			return out.toByteArray();
		}
		catch (Exception e) {
			throw new IllegalStateException("could not cut a page from moto's answer: " + e, e);
		}
	}

	private static Element itemList(Element root) {
		for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
			if (n.getNodeType() != Node.ELEMENT_NODE) {
				continue;
			}
			boolean allItems = true;
			boolean any = false;
			for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
				if (c.getNodeType() == Node.ELEMENT_NODE) {
					any = true;
					allItems &= "item".equals(c.getLocalName());
				}
			}
			if (any && allItems) {
				return (Element) n;
			}
		}
		return null;
	}

}

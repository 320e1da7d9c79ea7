package io.chatbotctl.modelsync;

import io.chatbotctl.core.ExternalSystemException;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/** Reads the XML S3 answers with: a ListObjectsV2 page, and an error body. */
final class ListingXml {
    private ListingXml() {}

    /** {@code <Code>} and {@code <Message>} of an error body; nulls when there is none. */
    record ErrorBody(String code, String message) {
    }

    static S3Reader.Page parse(byte[] xml) {
        List<S3Reader.Listed> objects = new ArrayList<>();
        String next = null;
        boolean truncated = false;
        try {
            XMLStreamReader r = reader(xml);
            String key = null;
            String etag = null;
            long size = 0;
            int depth = 0;
            boolean inContents = false;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamReader.START_ELEMENT) {
                    depth++;
                    String name = r.getLocalName();
                    if (depth == 2 && name.equals("Contents")) {
                        inContents = true;
                        key = null;
                        etag = null;
                        size = 0;
                    } else if (inContents && depth == 3) {
                        switch (name) {
                            case "Key" -> key = r.getElementText();
                            case "ETag" -> etag = r.getElementText();
                            case "Size" -> size = Long.parseLong(r.getElementText().trim());
                            default -> { }
                        }
                        if (r.getEventType() == XMLStreamReader.END_ELEMENT) {
                            depth--;
                        }
                    } else if (depth == 2 && name.equals("IsTruncated")) {
                        truncated = Boolean.parseBoolean(r.getElementText().trim());
                        depth--;
                    } else if (depth == 2 && name.equals("NextContinuationToken")) {
                        next = r.getElementText();
                        depth--;
                    }
                } else if (event == XMLStreamReader.END_ELEMENT) {
                    if (depth == 2 && inContents) {
                        inContents = false;
                        if (key != null) {
                            objects.add(new S3Reader.Listed(key, size, RemoteObject.unquote(etag)));
                        }
                    }
                    depth--;
                }
            }
        } catch (XMLStreamException | NumberFormatException e) {
            throw new ExternalSystemException("S3 answered a listing that is not ListObjectsV2 XML: " + e.getMessage(),
                    "check --endpoint-url: it must be an S3 API endpoint");
        }
        return new S3Reader.Page(objects, truncated ? next : null);
    }

    static ErrorBody error(byte[] xml) {
        if (xml == null || xml.length == 0) {
            return new ErrorBody(null, null);
        }
        String code = null;
        String message = null;
        try {
            XMLStreamReader r = reader(xml);
            while (r.hasNext()) {
                if (r.next() == XMLStreamReader.START_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "Code" -> code = r.getElementText();
                        case "Message" -> message = r.getElementText();
                        default -> { }
                    }
                }
            }
        } catch (XMLStreamException e) {
            // not XML: the status alone tells what happened
        }
        return new ErrorBody(code, message);
    }

    private static XMLStreamReader reader(byte[] xml) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory.createXMLStreamReader(new ByteArrayInputStream(xml));
    }
}

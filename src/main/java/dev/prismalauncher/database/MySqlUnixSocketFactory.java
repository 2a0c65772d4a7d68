package dev.prismalauncher.database;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.protocol.StandardSocketFactory;
import java.net.Socket;
import java.nio.file.Path;

/**
 * Connector/J's {@code socketFactory} for {@code ?socket=/path}: its standard factory (timeouts,
 * TLS) with the TCP socket replaced by a Unix-domain one. The path travels in Connector/J's own
 * {@code namedPipePath} property, which only its Windows named-pipe factory reads otherwise.
 */
public final class MySqlUnixSocketFactory extends StandardSocketFactory {
    static final String PATH_PROPERTY = PropertyKey.PATH.getKeyName();

    @Override
    protected Socket createSocket(PropertySet props) {
        return new UnixSocket(Path.of(props.getStringProperty(PropertyKey.PATH).getValue()));
    }
}

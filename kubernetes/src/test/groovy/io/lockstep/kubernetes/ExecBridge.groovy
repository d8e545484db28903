package io.lockstep.kubernetes

import io.fabric8.mockwebserver.http.Dispatcher
import io.fabric8.mockwebserver.http.MockResponse
import io.fabric8.mockwebserver.http.RecordedRequest
import io.fabric8.mockwebserver.http.WebSocket
import io.fabric8.mockwebserver.http.WebSocketListener

import java.nio.charset.StandardCharsets
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.regex.Matcher
import java.util.regex.Pattern

/**
 * Answers a pod's exec stream ({@code v4.channel.k8s.io}: each binary message starts with its channel,
 * 0 stdin, 1 stdout, 2 stderr, 3 the final status) by running the command with {@code docker exec -i}
 * in the Docker container a spec maps the pod to, so the tools run for real.
 */
class ExecBridge implements FakeKubeApi.Route {

    private static final Pattern EXEC = Pattern.compile('/api/v1/namespaces/([^/]+)/pods/([^/?]+)/exec\\?(.*)')

    /** Pod name to Docker container name. */
    final Map<String, String> containers = new ConcurrentHashMap<>()
    /** Each command as the API server received it: the pod, then the argument vector. */
    final List<List<String>> commands = new CopyOnWriteArrayList<>()

    @Override
    MockResponse handle(RecordedRequest request, Dispatcher store) {
        Matcher m = EXEC.matcher(request.path)
        if (!m.matches()) {
            return null
        }
        String container = containers[m.group(2)]
        if (container == null) {
            return new MockResponse().setResponseCode(404).setBody("pods \"${m.group(2)}\" not found")
        }
        List<String> argv = m.group(3).split('&').findAll { it.startsWith('command=') }
                .collect { URLDecoder.decode(it.substring('command='.length()), 'UTF-8') }
        commands << ([m.group(2)] + argv)
        new MockResponse().setResponseCode(101)
                .addHeader('Sec-WebSocket-Protocol', 'v4.channel.k8s.io')
                .withWebSocketUpgrade(new Session(['docker', 'exec', '-i', container] + argv))
    }

    private static class Session extends WebSocketListener {
        final List<String> argv
        Process process

        Session(List<String> argv) {
            this.argv = argv
        }

        @Override
        void onOpen(WebSocket ws, io.fabric8.mockwebserver.http.Response response) {
            process = new ProcessBuilder(argv).start()
            Thread out = pump(process.inputStream, ws, 1)
            Thread err = pump(process.errorStream, ws, 2)
            Thread.start {
                int code = process.waitFor()
                out.join()
                err.join()
                String status = code == 0
                        ? '{"metadata":{},"status":"Success"}'
                        : '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code",' +
                        '"reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"' + code + '"}]}}'
                ws.send(frame(3, status.getBytes(StandardCharsets.UTF_8), status.length()))
                ws.close(1000, 'done')
            }
        }

        @Override
        void onMessage(WebSocket ws, byte[] bytes) {
            if (bytes.length > 0 && bytes[0] == 0) {
                process.outputStream.write(bytes, 1, bytes.length - 1)
                process.outputStream.flush()
            }
        }

        @Override
        void onMessage(WebSocket ws, io.fabric8.mockwebserver.http.ByteString bytes) {
            onMessage(ws, bytes.toByteArray())
        }

        @Override
        void onClosing(WebSocket ws, int code, String reason) {
            process?.destroy()
        }

        private static Thread pump(InputStream in, WebSocket ws, int channel) {
            Thread.start {
                byte[] buffer = new byte[32 * 1024]
                int n
                while ((n = in.read(buffer)) > 0) {
                    ws.send(frame(channel, buffer, n))
                }
            }
        }

        private static byte[] frame(int channel, byte[] bytes, int n) {
            byte[] message = new byte[n + 1]
            message[0] = (byte) channel
            System.arraycopy(bytes, 0, message, 1, n)
            message
        }
    }
}

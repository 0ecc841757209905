#include "sidecar/http_tuning.h"

#include <httplib.h>
#include <sys/socket.h>

namespace aof::sidecar {

void tune_http_server(httplib::Server& server, const HttpOptions& options, ListenSocket& listen) {
  const int threads = options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(100000);
  server.set_keep_alive_timeout(options.keep_alive_timeout_secs);
  server.set_read_timeout(options.read_timeout_secs, 0);
  server.set_write_timeout(options.write_timeout_secs, 0);
  server.set_payload_max_length(static_cast<std::size_t>(options.max_body_bytes));
  server.set_socket_options([&listen](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (listen.fd < 0) listen.fd = sock;  // the listening socket comes first
  });
}

void raise_backlog(const ListenSocket& listen, int backlog) {
  if (listen.fd >= 0) ::listen(listen.fd, backlog);
}

}  // namespace aof::sidecar

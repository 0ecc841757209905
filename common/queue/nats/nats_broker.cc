#include "common/queue/nats/nats_broker.h"

#include "common/queue/nats/nats_client.h"
#include "common/queue/nats/nats_names.h"
#include "common/queue/nats/nats_queue.h"

namespace aof::queue {

Result<Broker> open_nats_broker(const config::QueueConfig& config, Jitter jitter) {
  auto endpoint = parse_nats_url(config.url);
  if (!endpoint) return endpoint.error();
  endpoint->credentials_file = config.credentials_file;
  if (auto names = check_names(config); !names) return names.error();
  auto client = NatsClient::connect(*endpoint);
  if (!client) return client.error();
  if (auto laid = ensure_layout(**client, config); !laid) return laid.error();
  auto bodies = make_nats_body_store(config, *client);
  return Broker{with_bodies_aside(make_nats_queue(config, *client, std::move(jitter)), bodies),
                make_nats_state(config, *client), bodies};
}

}  // namespace aof::queue

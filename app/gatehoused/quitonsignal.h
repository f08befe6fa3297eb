// SIGTERM and SIGINT end gatehoused's event loop instead of the process, so calls in flight finish
// and the vault is closed cleanly (systemctl stop, a test stopping its service).
#pragma once

namespace gh::service {

void quitOnTerminationSignals();

} // namespace gh::service

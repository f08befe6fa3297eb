// What every service of the facade is (gatehouse.h, README.md here): a view of the shared context
// (core.h), owned by gh::Gatehouse and neither copied nor moved.
#pragma once

namespace gh {

struct Core;

class FacadeService {
public:
    explicit FacadeService(Core& core) : m_core(core) {}
    FacadeService(const FacadeService&) = delete;
    FacadeService& operator=(const FacadeService&) = delete;

protected:
    ~FacadeService() = default;

    Core& m_core;
};

} // namespace gh

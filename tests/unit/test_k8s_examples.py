"""The Kubernetes examples in docs/k8s are valid resources (kubernetes-validate's schemas, strict) and
keep the settings docs/scheduling.md promises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

K8S = Path(__file__).resolve().parents[2] / "docs" / "k8s"


def resources() -> list[dict[str, Any]]:
    return [doc for path in sorted(K8S.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if doc]


def by_kind(kind: str) -> dict[str, Any]:
    return next(r for r in resources() if r["kind"] == kind)


def test_every_example_is_a_valid_resource() -> None:
    import kubernetes_validate  # a dev dependency: never skipped

    for resource in resources():
        kubernetes_validate.validate(resource, "1.30.0", strict=True)  # raises on any schema error


def test_the_cronjob_is_an_indexed_job_run_one_at_a_time_with_the_shared_settings() -> None:
    cronjob = by_kind("CronJob")
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    job = cronjob["spec"]["jobTemplate"]["spec"]
    assert job["completionMode"] == "Indexed"
    container = job["template"]["spec"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    assert env["TRACESCTL_SHARD_COUNT"]["value"] == str(job["completions"])
    assert "secretKeyRef" in env["TRACESCTL_DATABASE_URL"]["valueFrom"]  # never a literal URL with a password
    assert env["BROWSER_WS_ENDPOINT"]["value"].startswith("ws://playwright.")
    assert "--due" in container["args"]


def test_passwords_reach_tracesctl_as_0600_files_in_memory() -> None:
    spec = by_kind("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert volumes["passwords"]["emptyDir"]["medium"] == "Memory"
    assert "install -m 0600" in " ".join(spec["initContainers"][0]["command"])
    assert volumes["passwords-secret"]["secret"]["secretName"] == "tracesctl-passwords"


def test_the_browser_servers_are_a_deployment_behind_a_service() -> None:
    deployment, service = by_kind("Deployment"), by_kind("Service")
    assert service["spec"]["selector"] == deployment["spec"]["template"]["metadata"]["labels"]
    command = deployment["spec"]["template"]["spec"]["containers"][0]["command"]
    assert "run-server" in command and service["spec"]["ports"][0]["port"] == 3000


def test_passkey_counters_outlive_the_pods() -> None:
    """TRACES wants a second factor: the passkey's counter file (under the home's passkeys folder) is on
    a claimed volume, not in the emptyDir home, or EU Login would refuse the next run's counter."""
    spec = by_kind("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["name"]: m["mountPath"] for m in spec["containers"][0]["volumeMounts"]}
    home = {e["name"]: e.get("value") for e in spec["containers"][0]["env"]}["TRACESCTL_HOME"]
    assert mounts["passkey-counters"] == f"{home}/passkeys"
    claim = volumes["passkey-counters"]["persistentVolumeClaim"]["claimName"]
    assert by_kind("PersistentVolumeClaim")["metadata"]["name"] == claim

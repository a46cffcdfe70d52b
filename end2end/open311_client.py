"""The reference server's Open311 GeoReport v2 dialect, used by a client we did not write.

`georeport` 0.3.1 (PyPI) lists services, reads a service definition and reads requests back.
It has no call for creating a request (and the older `open311` 1.1 package is Python 2 only),
so the POST is made with `requests`, the HTTP library georeport itself uses, as the spec
describes it: form-urlencoded, with the api_key. Run by `cargo xtask test`:

    python end2end/open311_client.py http://127.0.0.1:PORT API_KEY
"""

import sys
import time
import unittest

import requests
from georeport import GeoReport

BASE, API_KEY = sys.argv[1], sys.argv[2]
ROOT = f"{BASE}/open311/v2"
client = GeoReport(ROOT, api_key=API_KEY)


def post(**fields):
    return requests.post(f"{ROOT}/requests.json", data=fields, timeout=10)


class GeoReportClient(unittest.TestCase):
    def test_lists_services_with_their_definitions(self):
        services = client.get_service_list()
        codes = [s["service_code"] for s in services]
        self.assertIn("infrastruktur", codes)
        self.assertTrue(all(s["metadata"] is True and s["type"] == "realtime" for s in services))
        definition = client.get_service_definition("infrastruktur")
        self.assertEqual(definition["service_code"], "infrastruktur")
        kind = next(a for a in definition["attributes"] if a["code"] == "classification")
        self.assertTrue(kind["required"])
        self.assertEqual(kind["datatype"], "singlevaluelist")
        self.assertEqual([v["key"] for v in kind["values"]], ["complaint", "aspiration", "information_request"])
        urgency = next(a for a in definition["attributes"] if a["code"] == "urgency")
        self.assertTrue(urgency["required"])

    def test_posts_a_request_and_reads_it_back(self):
        description = f"Lampu jalan di Jalan Pemuda mati sejak seminggu. Ref {time.time_ns()}."
        response = post(
            api_key=API_KEY,
            service_code="infrastruktur",
            description=description,
            lat="-6.9232",
            long="110.2034",
            email="warga@example.id",
            first_name="Siti",
            **{"attribute[classification]": "aspiration", "attribute[urgency]": "urgent"},
        )
        self.assertEqual(response.status_code, 201, response.text)
        [created] = response.json()
        request_id = created["service_request_id"]
        self.assertRegex(request_id, r"^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$")

        one = client.get_service_request(request_id)
        self.assertEqual(one["service_request_id"], request_id)
        self.assertEqual(one["status"], "open")
        self.assertEqual(one["service_code"], "infrastruktur")
        self.assertTrue(one["description"].startswith(description))
        self.assertIn("Urgensi: Mendesak", one["description"])
        # An aspiration's place is where its reporter lives: never in a public answer.
        self.assertIsNone(one.get("lat"))
        self.assertIsNone(one.get("long"))
        self.assertNotIn("warga@example.id", str(one), "the reporter's identity is never shown")
        self.assertTrue(one["expected_datetime"])

        several = client.get_service_requests(service_request_id=request_id)
        self.assertEqual([r["service_request_id"] for r in several], [request_id])
        opened = client.get_service_requests(service_code="infrastruktur", status="open")
        self.assertIn(request_id, [r["service_request_id"] for r in opened])

    def test_a_client_filling_only_the_required_attributes_succeeds(self):
        """A careful client reads each definition and answers only what it marks `required`
        (the first value of a list, a short text otherwise), with the spec's own fields: every
        service and every classification must then be accepted."""
        for service in client.get_service_list():
            definition = client.get_service_definition(service["service_code"])
            required = [a for a in definition["attributes"] if a["required"] and a["variable"]]
            kind = next(a for a in definition["attributes"] if a["code"] == "classification")
            for classification in [v["key"] for v in kind["values"]]:
                answers = {}
                for attribute in required:
                    if attribute["code"] == "classification":
                        value = classification
                    elif attribute.get("values"):
                        value = attribute["values"][0]["key"]
                    else:
                        value = "2026-01-05" if attribute["datatype"] == "datetime" else "Ya"
                    answers[f"attribute[{attribute['code']}]"] = value
                response = post(
                    api_key=API_KEY,
                    service_code=service["service_code"],
                    description=f"Laporan uji {classification} {time.time_ns()}: trotoar rusak.",
                    lat="-6.9232",
                    long="110.2034",
                    **answers,
                )
                label = f"{service['service_code']} / {classification}"
                self.assertEqual(response.status_code, 201, f"{label}: {response.text}")
                request_id = response.json()[0]["service_request_id"]
                self.assertEqual(client.get_service_request(request_id)["status"], "open", label)

    def test_errors_use_the_spec_shape(self):
        for fields, status in [
            ({"service_code": "infrastruktur", "description": "x"}, 403),  # no api_key
            ({"api_key": API_KEY, "service_code": "infrastruktur", "description": "Lampu mati"}, 400),
            ({"api_key": API_KEY, "service_code": "tidak-ada", "description": "Lampu mati di taman kota",
              "address_string": "Alun-alun", "attribute[classification]": "aspiration",
              "attribute[urgency]": "normal"}, 400),
        ]:
            response = post(**fields)
            self.assertEqual(response.status_code, status, response.text)
            [error] = response.json()
            self.assertEqual(error["code"], status)
            self.assertTrue(error["description"])
        with self.assertRaises(requests.HTTPError) as missing:
            client.get_service_request("K7M-2QX-9PD")
        self.assertEqual(missing.exception.response.status_code, 404)
        self.assertEqual(missing.exception.response.json()[0]["code"], 404)


if __name__ == "__main__":
    started = time.monotonic()
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    failed = len(result.failures) + len(result.errors)
    # A summary line in the form `cargo xtask test` adds up.
    print(f"  {result.testsRun - failed} passed ({time.monotonic() - started:.1f}s)")
    if failed:
        print(f"  {failed} failed")
    sys.exit(1 if failed else 0)

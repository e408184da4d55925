"""A classic Azure ML Studio (classic) BES client, written the way the classic samples and the clients built on
them were: the input goes to the client's own blob container with the storage SDK, the job is submitted with
ConnectionString + RelativeLocation for its input and its output, started, polled (status names or the numbers
0-4), and the result is read from the output blob the client named itself. Only the base URL and the key differ
from what ran against Studio (classic).

Usage: classic_bes.py BASE_URL API_KEY CONNECTION_STRING CONTAINER INPUT_CSV_FILE
Prints one JSON object: the job id, its final status, and the result read from the named output blob.
"""
import json
import sys
import time
import urllib.error
import urllib.request

from azure.storage.blob import BlobServiceClient

STATUS_NAMES = ["NotStarted", "Running", "Failed", "Cancelled", "Finished"]


def call(method, url, api_key, body=None):
    data = json.dumps(body).encode("utf-8") if body is not None else None
    headers = {"Authorization": "Bearer " + api_key, "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8")
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        body = json.loads(error.read().decode("utf-8"))
        # The classic error shape: the class at the top, the specific code in details.
        raise RuntimeError("%d %s/%s: %s" % (error.code, body["error"]["code"], body["error"]["details"][0]["code"], body["error"]["message"]))


def main():
    base_url, api_key, connection_string, container, input_file = sys.argv[1:6]
    storage = BlobServiceClient.from_connection_string(connection_string)
    container_client = storage.get_container_client(container)
    if not container_client.exists():
        container_client.create_container()
    input_blob = "input/scores.csv"
    output_blob = "output/output1results.csv"
    with open(input_file, "rb") as data:
        container_client.upload_blob(input_blob, data, overwrite=True)

    payload = {
        "Inputs": {"input1": {"ConnectionString": connection_string, "RelativeLocation": "/" + container + "/" + input_blob}},
        "Outputs": {"output1": {"ConnectionString": connection_string, "RelativeLocation": "/" + container + "/" + output_blob}},
        "GlobalParameters": {},
    }
    jobs_url = base_url + "/jobs"
    _, job_id = call("POST", jobs_url + "?api-version=2.0", api_key, payload)
    call("POST", jobs_url + "/" + job_id + "/start?api-version=2.0", api_key)

    deadline = time.time() + 60
    while True:
        _, status = call("GET", jobs_url + "/" + job_id + "?api-version=2.0", api_key)
        code = status["StatusCode"]
        name = STATUS_NAMES[code] if isinstance(code, int) else code
        if name in ("Finished", "Failed", "Cancelled") or time.time() > deadline:
            break
        time.sleep(0.5)

    result = None
    if name == "Finished":
        # Where classic clients read it: the blob they named in Outputs.
        result = container_client.download_blob(output_blob).readall().decode("utf-8")
    link = (status.get("Results") or {}).get("output1") or {}
    print(json.dumps({
        "jobId": job_id,
        "status": name,
        "details": status.get("Details"),
        "result": result,
        "statusLocation": (link.get("BaseLocation") or "") + (link.get("RelativeLocation") or ""),
        "statusHasConnectionString": link.get("ConnectionString") is not None,
    }))


if __name__ == "__main__":
    main()

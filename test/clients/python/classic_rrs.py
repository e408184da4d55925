"""Drives the facade with the Azure ML Studio (classic) Python client library (PyPI "azureml"), unchanged: a
published service is consumed with @services.service(url, api_key), and its errors are raised the library's way
(RuntimeError with details[0].message for Unauthorized, ValueError for the other classic errors).

Usage: classic_rrs.py CASES_JSON
CASES_JSON is a list of {"name", "url", "key", "text"}: each case calls the service at url with key and one row
(Col2 = text). Prints one JSON object: name -> {"ok": decoded row} or {"raised": exception type, "message": text}.
"""
import json
import sys

from azureml import services


def consume(url, key, text):
    # dataframe_service names the input columns; @services.types needs inspect's Python 2 argument names.
    @services.service(url, key)
    @services.dataframe_service(Col2=str)
    def feature_hashing(Col2):
        pass

    return feature_hashing(text)


def main():
    outcomes = {}
    for case in json.loads(sys.argv[1]):
        try:
            outcomes[case["name"]] = {"ok": consume(case["url"], case["key"], case["text"])}
        except Exception as error:  # the library's own exception types are what is checked
            outcomes[case["name"]] = {"raised": type(error).__name__, "message": str(error)}
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main()

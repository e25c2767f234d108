"""The Python twin of serve.jar for the benchmark: what a data scientist would write with FastAPI + uvicorn.

scikit-learn's 100-tree random forest in a pipeline (one-hot categories), trained at start on the same training rows as
predict.jar train; the same 500-item pool, read once from the same Elasticsearch index and held in memory as a
DataFrame; the same deadline and Redis fallback (the last model answer per key, written after answering).
Run by bench/serve-load/run.sh:  uvicorn twin:app  with TWIN_TRAINING, TWIN_ES_URL, TWIN_INDEX, TWIN_REDIS_URL.
"""
import json
import os
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import pandas as pd
import redis
from fastapi import BackgroundTasks, FastAPI
from pydantic import BaseModel
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

CATEGORIES = ["contract", "region"]
NUMBERS = ["tenure_months", "monthly_charges", "support_tickets", "has_partner"]
DEADLINE_S = 0.100
RESERVE_S = 0.010

training = pd.read_csv(os.environ["TWIN_TRAINING"])
training["has_partner"] = training["has_partner"].astype(str).str.lower().eq("true").astype(float)
model = Pipeline([
    ("encode", ColumnTransformer([("categories", OneHotEncoder(handle_unknown="ignore"), CATEGORIES)], remainder="passthrough")),
    ("forest", RandomForestClassifier(n_estimators=100, random_state=7)),
])
model.fit(training[CATEGORIES + NUMBERS], training["churned"])

search = urllib.request.Request(
    os.environ["TWIN_ES_URL"] + "/" + os.environ["TWIN_INDEX"] + "/_search?size=10000",
    data=json.dumps({"query": {"match_all": {}}}).encode(), headers={"Content-Type": "application/json"})
hits = json.load(urllib.request.urlopen(search))["hits"]["hits"]
pool = pd.DataFrame([h["_source"] for h in hits]).sort_values("id").reset_index(drop=True)
pool["has_partner"] = pool["has_partner"].astype(float)

cache = redis.Redis.from_url(os.environ["TWIN_REDIS_URL"], socket_timeout=0.01, socket_connect_timeout=0.01)  # reads: the deadline
cache_writer = redis.Redis.from_url(os.environ["TWIN_REDIS_URL"], socket_timeout=1, socket_connect_timeout=1)
scoring = ThreadPoolExecutor(max_workers=2)
app = FastAPI()


class RankRequest(BaseModel):
    key: str
    top_k: int = 10
    features: dict | None = None


def remember(key: str, value: str) -> None:
    try:
        cache_writer.set(key, value, px=86_400_000)
    except redis.RedisError:
        pass  # the answer was sent; a missed cache write only costs a fallback later


def rank_pool(features: dict | None) -> list[dict]:
    rows = pool.assign(**features) if features else pool
    scores = model.predict_proba(rows[CATEGORIES + NUMBERS])[:, 1]
    order = scores.argsort()[::-1]
    return [{"id": pool["id"].iat[i], "score": float(scores[i])} for i in order]


@app.post("/v1/pools/customers/rank")
def rank(request: RankRequest, background: BackgroundTasks):
    started = time.perf_counter()
    key = f"twin:rank:customers:churn:v1:{request.key}"
    try:
        items = scoring.submit(rank_pool, request.features).result(timeout=DEADLINE_S - RESERVE_S)
        background.add_task(remember, key, json.dumps({"at": time.time(), "items": items[:1000]}))
        source = "model"
    except FutureTimeout:
        source = "default"
        items = [{"id": i} for i in pool["id"][: request.top_k]]
        try:
            cached = cache.get(key)
            if cached:
                items, source = json.loads(cached)["items"], "cache"
        except redis.RedisError:
            pass
    return {"pool": "customers", "key": request.key, "items": items[: request.top_k], "source": source,
            "model": "churn", "model_version": "v1", "took_ms": int((time.perf_counter() - started) * 1000)}


@app.get("/readyz")
def ready():
    return {"status": "ready", "pool": len(pool)}

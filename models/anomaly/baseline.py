"""Per-patch colour and texture statistics, and two ways to tell an unusual patch by them.

Features of a patch (RGB in [0, 1]): mean and standard deviation of R, G, B; mean of the
excess-green index 2G - R - B; mean absolute horizontal and vertical differences of the grey
image; mean absolute Laplacian of the grey image, and the colour-channel
correlations R-G, G-B, R-B (13 numbers).

* GaussianBaseline: a full-covariance Gaussian fitted on the same training patches as the flow;
  the score is the squared Mahalanobis distance (the issue's non-flow baseline).
* image_referenced_distance: the same statistics, but the reference is the image itself (a
  robust Gaussian fitted on the image's own patches), so a patch is unusual when it differs from
  the rest of *its* image. It needs no training material at all, so it is a second non-flow
  baseline, and it is the term that, added to the flow's likelihood ratio, makes the shipped
  score (evaluate.py, quantity `self`). The Java twin is dev.edgeagent.inspect.SelfReference.
"""
import numpy as np


def features(p):
    """p: (N, 3, h, w) float in [0, 1] -> (N, 13), computed in float64 (as the Java twin,
    dev.edgeagent.inspect.PatchStatistics, does)."""
    p = np.asarray(p, dtype=np.float64)
    r, g, b = p[:, 0], p[:, 1], p[:, 2]
    grey = 0.299 * r + 0.587 * g + 0.114 * b
    flat = p.reshape(len(p), 3, -1)
    mean = flat.mean(2)
    std = flat.std(2)
    c = flat - mean[:, :, None]
    denom = std + 1e-4
    corr = lambda i, j: (c[:, i] * c[:, j]).mean(1) / (denom[:, i] * denom[:, j])  # noqa: E731
    exg = (2 * g - r - b).reshape(len(p), -1).mean(1)
    dx = np.abs(np.diff(grey, axis=2)).reshape(len(p), -1).mean(1)
    dy = np.abs(np.diff(grey, axis=1)).reshape(len(p), -1).mean(1)
    lap = np.abs(4 * grey[:, 1:-1, 1:-1] - grey[:, :-2, 1:-1] - grey[:, 2:, 1:-1]
                 - grey[:, 1:-1, :-2] - grey[:, 1:-1, 2:]).reshape(len(p), -1).mean(1)
    return np.column_stack([mean, std, exg, dx, dy, lap, corr(0, 1), corr(1, 2), corr(0, 2)]).astype(np.float64)


class GaussianBaseline:
    def fit(self, patches, ridge=1e-6):
        f = features(patches)
        self.mu = f.mean(0)
        cov = np.cov(f, rowvar=False)
        self.prec = np.linalg.inv(cov + ridge * np.eye(len(cov)) * np.trace(cov) / len(cov))
        return self

    def score(self, patches):
        d = features(patches) - self.mu
        return np.einsum("ni,ij,nj->n", d, self.prec, d)


KEEP = 0.75      # fraction of the image's patches (the most typical) the reference is fitted on
SHRINK = 0.1     # covariance shrinkage towards the identity (of the standardised statistics)
MIN_PATCHES = 4 * 13   # fewer patches than this: no reference can be fitted, every distance is 0
SCALE_EPS = 1e-4


def image_referenced_distance(f):
    """Squared Mahalanobis distance of each patch's statistics f (N, d) from its own image:
    1. standardise each statistic by the image's median and 1.4826 x MAD (floored at 1e-4);
    2. keep the patches whose squared standardised norm is <= its 0.75 quantile (numpy's linear
       quantile): the most typical three quarters, so defects do not shape their own reference;
    3. mean and covariance (n - 1) of the kept patches, shrunk: 0.9 C + 0.1 (trace C / d) I;
    4. squared Mahalanobis distance of every patch from that mean under that covariance."""
    f = np.asarray(f, dtype=np.float64)
    n, d = f.shape
    if n < MIN_PATCHES:
        return np.zeros(n)
    med = np.median(f, 0)
    s = np.maximum(1.4826 * np.median(np.abs(f - med), 0), SCALE_EPS)
    x = (f - med) / s
    r = (x ** 2).sum(1)
    kept = x[r <= np.quantile(r, KEEP)]
    mu = kept.mean(0)
    c = np.cov(kept, rowvar=False)
    c = (1 - SHRINK) * c + SHRINK * np.eye(d) * max(np.trace(c) / d, SCALE_EPS)
    y = x - mu
    return np.einsum("ni,ij,nj->n", y, np.linalg.inv(c), y)

"""Non-flow baseline: per-patch colour and texture statistics with one Gaussian model.

Features of a patch (RGB in [0, 1]): mean and standard deviation of R, G, B; mean of the
excess-green index 2G - R - B; mean absolute horizontal and vertical differences of the grey
image; mean absolute Laplacian of the grey image, and the colour-channel
correlations R-G, G-B, R-B (13 numbers). A full-covariance Gaussian is fitted on the same training
patches as the flow; the anomaly score is the squared Mahalanobis distance.
"""
import numpy as np


def features(p):
    """p: (N, 3, h, w) float in [0, 1] -> (N, 13)."""
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

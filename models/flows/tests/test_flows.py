"""Unit tests for the flow layer library (float64, tiny inputs, < 60 s on one CPU core).

Run:  /usr/bin/python3 -m unittest discover -s models/flows/tests
"""
import os
import sys
import unittest

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import flows as fl  # noqa: E402

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)


def perturb(module, std=0.2, seed=0):
    """Give zero-initialised layers (couplings, split prior) non-trivial weights."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.add_(torch.randn(p.shape, generator=g, dtype=p.dtype) * std)
    return module


def make_layers(C=4, cond_c=3):
    torch.manual_seed(0)
    layers = {
        "ActNorm": fl.ActNorm(C),
        "InvConv1x1_LU": perturb(fl.InvConv1x1(C, lu=True, seed=1), seed=1),
        "InvConv1x1_plain": perturb(fl.InvConv1x1(C, lu=False, seed=2), seed=2),
        "AffineCoupling": perturb(fl.AffineCoupling(C, hidden=8)),
        "AffineCoupling_cond": perturb(fl.AffineCoupling(C, hidden=8, cond_channels=cond_c), seed=3),
        "QuadCoupling": perturb(fl.QuadCoupling(C, hidden=8), seed=4),
        "QuadCoupling_cond": perturb(fl.QuadCoupling(C, hidden=8, cond_channels=cond_c), seed=5),
        "Squeeze": fl.Squeeze(2),
        "Split": perturb(fl.Split(C), seed=6),
        "CInCConv3x3": perturb(fl.CInCConv3x3(C, seed=7), seed=7),
        "MaskedConv5x5": perturb(fl.MaskedConv(C, k=5, seed=8), seed=8),
        "FInCConv3x3": perturb(fl.FInCConv(C, k=3, seed=9), seed=9),
        "InverseConv3x3": perturb(fl.InverseConv(C, k=3, seed=10), seed=10),
    }
    for m in layers.values():
        m.double()
    return layers


def needs_cond(name):
    return name.endswith("_cond")


class TestInvertibility(unittest.TestCase):
    def test_inverse_roundtrip(self):
        C = 4
        x = torch.randn(2, C, 6, 8)
        cond = torch.randn(2, 3, 6, 8)
        for name, layer in make_layers(C).items():
            with self.subTest(layer=name):
                c = cond if needs_cond(name) else None
                y, ld = layer(x, c)
                self.assertEqual(ld.shape, (2,))
                xr = layer.inverse(y, c)
                self.assertLess((xr - x).abs().max().item(), 1e-5, name)

    def test_actnorm_data_init(self):
        a = fl.ActNorm(3).double()
        x = torch.randn(4, 3, 5, 5) * 3 + 2
        y, _ = a(x)
        self.assertLess(y.mean(dim=(0, 2, 3)).abs().max().item(), 1e-6)
        self.assertLess((y.std(dim=(0, 2, 3), unbiased=False) - 1).abs().max().item(), 1e-4)


class TestLogDet(unittest.TestCase):
    def test_logdet_matches_bruteforce_jacobian(self):
        C, H, W = 4, 4, 4
        torch.manual_seed(1)
        x = torch.randn(1, C, H, W)
        cond = torch.randn(1, 3, H, W)
        for name, layer in make_layers(C).items():
            with self.subTest(layer=name):
                c = cond if needs_cond(name) else None
                _, ld = layer(x, c)     # (also performs ActNorm's data init)

                def f(v):
                    return layer(v.view(1, C, H, W), c)[0].reshape(-1)

                J = torch.autograd.functional.jacobian(f, x.reshape(-1))
                ref = torch.linalg.slogdet(J)[1]
                self.assertLess(abs(ld.item() - ref.item()), 1e-6, f"{name}: {ld.item()} vs {ref.item()}")


class TestInvertibilityCondition(unittest.TestCase):
    def test_parametrised_kernel_is_valid(self):
        m = fl.CInCConv3x3(4, seed=0)
        self.assertTrue(m.check_invertible())
        self.assertTrue(fl.FInCConv(4, 5, seed=0).check_invertible())

    def test_rejects_zero_diagonal(self):
        m = fl.CInCConv3x3(3, seed=0).double()
        K = m.kernel().detach().clone()
        K[1, 1, 2, 2] = 0.0
        with self.assertRaises(ValueError):
            m.check_invertible(K)
        m.set_kernel(K)
        with self.assertRaises(ValueError):
            m.check_invertible()
        with self.assertRaises(ValueError):
            m.inverse(torch.randn(1, 3, 4, 4))

    def test_rejects_non_triangular_self_tap(self):
        m = fl.CInCConv3x3(3, seed=0).double()
        K = m.kernel().detach().clone()
        K[0, 2, 2, 2] = 0.5      # upper-triangular entry of the self tap: Jacobian not triangular
        with self.assertRaises(ValueError):
            fl.check_causal_kernel(K)

    def test_singular_kernel_really_is_singular(self):
        m = fl.CInCConv3x3(2, seed=0).double()
        K = m.kernel().detach().clone()
        K[0, 0, 2, 2] = 0.0
        J = torch.autograd.functional.jacobian(lambda v: fl.causal_conv(v.view(1, 2, 3, 3), K).reshape(-1),
                                               torch.randn(18))
        self.assertLess(abs(torch.linalg.det(J).item()), 1e-12)


class TestParallelInverse(unittest.TestCase):
    def test_wavefront_equals_sequential(self):
        torch.manual_seed(2)
        for k in (3, 5):
            for (H, W) in ((5, 7), (8, 8)):
                with self.subTest(k=k, H=H, W=W):
                    m = perturb(fl.MaskedConv(3, k, seed=k), seed=k).double()
                    K = m.kernel().detach()
                    y = torch.randn(2, 3, H, W)
                    a = fl.solve_causal(y, K, method="wavefront")
                    b = fl.solve_causal(y, K, method="sequential")
                    self.assertLess((a - b).abs().max().item(), 1e-10)
                    self.assertLess((fl.causal_conv(a, K) - y).abs().max().item(), 1e-10)
                    at = fl.solve_causal(y, K, transposed=True, method="wavefront")
                    bt = fl.solve_causal(y, K, transposed=True, method="sequential")
                    self.assertLess((at - bt).abs().max().item(), 1e-10)
                    self.assertLess((fl.causal_conv_transposed(at, K) - y).abs().max().item(), 1e-10)

    def test_finc_methods_agree(self):
        m = perturb(fl.FInCConv(3, 3, seed=1), seed=1).double()
        y = torch.randn(1, 3, 6, 6)
        a = m.inverse(y, method="wavefront")
        b = m.inverse(y, method="sequential")
        self.assertLess((a - b).abs().max().item(), 1e-10)


class TestInverseConvGradient(unittest.TestCase):
    def test_gradcheck(self):
        torch.manual_seed(3)
        m = perturb(fl.InverseConv(2, k=3, seed=3), seed=3).double()
        x = torch.randn(1, 2, 4, 5, requires_grad=True)

        def f(x, w, ld):
            K = w * m.mask
            d = torch.zeros_like(K)
            d[:, :, 2, 2] = torch.diag(torch.exp(ld))
            return fl.inverse_conv(x, K + d)

        w = m.weight.detach().clone().requires_grad_(True)
        ld = m.log_diag.detach().clone().requires_grad_(True)
        self.assertTrue(torch.autograd.gradcheck(f, (x, w, ld), eps=1e-6, atol=1e-6))

    def test_matches_dense_reference(self):
        torch.manual_seed(4)
        C, H, W = 2, 4, 4
        m = perturb(fl.InverseConv(C, k=3, seed=4), seed=4).double()
        x = torch.randn(1, C, H, W)
        gz = torch.randn(1, C, H, W)
        # custom-backward path
        z, ld = m(x)
        (z * gz).sum().backward()
        g_custom = [m.weight.grad.clone(), m.log_diag.grad.clone()]
        m.zero_grad()
        # dense reference: A = Jacobian of the causal conv, z = A^{-1} x by dense solve, plain autograd
        K = m.kernel()
        n = C * H * W
        eye = torch.eye(n).view(n, C, H, W)
        A = fl.causal_conv(eye, K).reshape(n, n).t()      # column j = A e_j
        z_ref = torch.linalg.solve(A, x.reshape(n)).view(1, C, H, W)
        self.assertLess((z_ref - z.detach()).abs().max().item(), 1e-10)
        (z_ref * gz).sum().backward()
        self.assertLess((m.weight.grad - g_custom[0]).abs().max().item(), 1e-9)
        self.assertLess((m.log_diag.grad - g_custom[1]).abs().max().item(), 1e-9)
        self.assertAlmostEqual(ld.item(), -torch.linalg.slogdet(A)[1].item(), places=8)

    def test_sampling_direction_is_plain_conv(self):
        m = perturb(fl.InverseConv(3, k=3, seed=5), seed=5).double()
        z = torch.randn(1, 3, 5, 5)
        x = m.inverse(z)
        self.assertLess((x - fl.causal_conv(z, m.kernel())).abs().max().item(), 1e-12)
        zr, _ = m(x)
        self.assertLess((zr - z).abs().max().item(), 1e-10)


if __name__ == "__main__":
    unittest.main()

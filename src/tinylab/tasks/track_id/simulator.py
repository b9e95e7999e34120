"""An open, seeded simulator of liquid-argon TPC collection-plane cluster images: supernova-neutrino "main
tracks" (the electron of a neutrino interaction) among the other clusters of the same events and the
radiological backgrounds. Pure numpy; every random number comes from one ``numpy.random.Generator``.

Geometry and readout (DUNE far-detector horizontal-drift module)
----------------------------------------------------------------
- Collection-plane wire pitch 4.79 mm (DUNE FD TDR Vol. IV, arXiv:2002.03010, the anode plane assemblies).
- Drift field 500 V/cm; drift velocity about 1.6 mm/us in liquid argon at 87 K (Walkowiak, NIM A 449 (2000)
  288; Li et al., NIM A 816 (2016) 160); one 2 MHz tick is 0.5 us, so a tick is 0.8 mm of drift.
- Maximum drift 3.5 m (TDR); a cluster's drift distance is uniform in [0, 3.5 m]. Diffusion at that drift:
  longitudinal 6.2 cm^2/s and transverse 16.3 cm^2/s (LArSoft's LArProperties defaults), i.e. up to
  1.6 mm (2 ticks) along the drift and 2.7 mm (0.56 wire pitch) across wires. Charge lost to finite electron
  lifetime is not simulated: it stands for a lifetime correction with the event time known.
- An image is 128 ticks x 32 wires (10.2 cm of drift x 15.3 cm across wires), as in the original study.
- Calibration: 3,600 ADC counts per MeV per wire, summed over the ticks of a pulse (the original study's
  constant). What it implies: a minimum-ionising particle crossing a wire at normal incidence deposits
  0.479 cm x 2.1 MeV/cm = 1.0 MeV there and gives about 3,600 counts summed over its pulse; at W = 23.6 eV
  per ion pair and a recombination survival of 0.7 (below) 1 MeV frees about 30,000 electrons, so one
  summed count is about 8 electrons; a track along the drift deposits 0.17 MeV per tick (about 600 counts
  per tick before shaping).
- Electronics: a Gaussian pulse of 2-tick sigma (the 2 us shaping of the DUNE cold electronics); white
  noise per tick whose rms gives a MIP at normal incidence a peak signal-to-noise ratio of 48.7 (measured
  on ProtoDUNE-SP's collection plane, DUNE Collab., JINST 15 (2020) P12004): 14.9 counts. 12-bit ADC
  with a collection-plane pedestal of about 900 counts: values saturate at 3,195 above pedestal; each
  sample is rounded to whole counts. Images are these pedestal-subtracted raw ADC values, noise included.
- Hit threshold 5 noise rms per tick (about 74 counts); the cluster trigger keeps a cluster whose charge
  above the hit threshold sums to at least 0.3 MeV (1,080 counts). The "reconstructed energy" of a
  cluster, what an energy cut uses, is that sum divided by 3,600 counts per MeV.

Physics
-------
Electrons (every charged particle but alphas) are stepped in 1 mm steps through liquid argon (1.396 g/cm^3,
radiation length 14.0 cm, PDG):
- ionisation: 2.1 MeV/cm on average (the collision stopping power of few-MeV to 50 MeV electrons in argon,
  ESTAR); knock-on electrons (delta rays) above 0.3 MeV are produced explicitly from the 1/T^2 Moller
  spectrum (0.0966 MeV/cm x (1/T_cut - 1/T_max), T_max = E/2) and followed, and the continuous loss is the
  2.1 MeV/cm less their mean share, so the mean stays 2.1 MeV/cm;
- multiple scattering: Gaussian deflections of the Highland width (PDG);
- bremsstrahlung above 0.3 MeV: (4/3) ln(E/k_cut) dx/X0 photons per step, log-uniform in energy (the 1/k
  spectrum), along the electron's direction;
- photons: Compton scattering with the Klein-Nishina total cross section and angular distribution
  (sampled as in Geant4's G4KleinNishinaCompton), followed through successive scatters; absorbed (all
  energy to an electron) below 0.1 MeV. Pair production is treated as Compton scattering (it is about 15%
  of interactions at 5 MeV; only bremsstrahlung photons are more energetic, and they mostly leave).
- recombination: the modified box model (ArgoNeuT, Acciarri et al., JINST 8 (2013) P08005: alpha 0.93,
  beta 0.212 (kV/cm)(g/cm^2)/MeV at 500 V/cm) gives 0.70 for 2.1 MeV/cm; the calibration above is for that
  charge yield. Alphas (about 1,000 MeV/cm at 5-8 MeV) keep 0.019 of their charge by the same model, 0.027
  of an electron's per MeV: a 5.5 MeV alpha looks like 0.15 MeV.

Sources of clusters
-------------------
Main tracks (label 1): the electron of a supernova neutrino interaction.
- Neutrino energies: the pinched spectrum E^a exp(-(a+1) E/<E>) (Keil, Raffelt and Janka, ApJ 590 (2003)
  971) with a = 2.5, <E> = 11 MeV for electron neutrinos.
- 90% charged current, nu_e + Ar-40 -> e- + K-40*: E_e = E_nu - 1.50 MeV - E_x, with E_x the excited
  K-40 level: the isobaric analogue state at 4.38 MeV in half the events, otherwise a Gamow-Teller level at
  2.29, 2.73 or 3.80 MeV (a quarter, 15% and 10% of events; a four-level simplification of the strength
  MARLEY models; Gardiner, Phys. Rev. C 103 (2021) 044604); the event weighted by the allowed cross section
  ~ E_e^2.
- 10% elastic scattering on electrons: recoil energy uniform up to 2E^2/(m_e + 2E), cross section ~ E_nu.
- Only electrons of 5 to 50 MeV are main tracks (below 5 MeV a neutrino electron is not told apart from
  the rest of its event in the original study's definition); direction isotropic.

Other clusters (label 0):
- ``deexcitation_gamma``: the K-40* de-excitation gammas of the same charged-current events (the level
  energy split into one to three gammas at random); the cluster is the Compton electron(s) of one gamma,
  with any other gamma of the cascade that interacts within the image.
- ``neutron_capture``: neutron capture on Ar-40, a 6.1 MeV gamma cascade: the strongest path (4.745, 1.187,
  0.167 MeV, measured by ACED at LANSCE, Fischer et al. 2019) in half the captures, otherwise 6.1 MeV split at
  random into two to four gammas (standing in for the weaker paths). The cluster is built as above.
- ``ar39``: Ar-39 beta decay, endpoint 0.565 MeV (first-forbidden unique spectral shape).
- ``k42``: K-42 (from Ar-42) beta decay: endpoint 3.525 MeV (82%), or 2.0 MeV with a 1.525 MeV gamma.
- ``radon``: the Rn-222 chain in equilibrium: alphas of Rn-222 (5.49 MeV), Po-218 (6.00), Po-214 (7.69)
  and betas of Pb-214 (endpoint 1.02 MeV) and Bi-214 (3.27 MeV). Quenched alphas hardly ever pass the
  trigger, so this source's clusters are mostly Bi-214 betas.
Every beta spectrum has the first-forbidden unique shape (exact in kind for Ar-39 and K-42's main branch, an
approximation for the others) without the Fermi function.
Each cluster's primary vertex is uniform within the image, 10% from its edges; deposits outside the image are
lost (a long or energetic track may leave it).

Pile-up: Ar-39 decays at 1.01 Bq/kg (WARP, Benetti et al., NIM A 574 (2007) 83) in the volume seen by an
image (15.3 cm of wires x 6 m wire length x 3.5 m drift) during its 64 us: Poisson, 0.29 decays per image,
added to every image.

Class balance and the background mixture: main tracks are 1 in 7 clusters (the original's 14%); the other
clusters' mix of sources is a setting (default 30% de-excitation gammas, 30% neutron-capture gammas, 10% Ar-39,
15% K-42, 15% radon chain, after the trigger). It is a modelling choice, not a measured rate: the original's
sample is not public. Energies are never adjusted to make any method pass or fail: they follow from the
physics above.

No two images are equal (continuous positions and noise): duplicates occur only by chance, and the task's
leakage check counts any.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

# ---- geometry and readout --------------------------------------------------------------------------------
WIRE_PITCH_CM = 0.479
DRIFT_VELOCITY_CM_PER_US = 0.16
TICK_US = 0.5
TICK_CM = DRIFT_VELOCITY_CM_PER_US * TICK_US  # 0.08 cm
MAX_DRIFT_CM = 350.0
DIFFUSION_L_CM2_PER_US = 6.2e-6
DIFFUSION_T_CM2_PER_US = 16.3e-6
TICKS, WIRES = 128, 32
ADC_PER_MEV = 3600.0
SHAPING_SIGMA_TICKS = 2.0
MIP_SNR = 48.7
ADC_SATURATION = 4095.0 - 900.0
NOISE_THRESHOLD_SIGMAS = 5.0
CLUSTER_TRIGGER_MEV = 0.3
EDGE_MARGIN = 0.10

# ---- liquid argon --------------------------------------------------------------------------------------
DENSITY_G_CM3 = 1.396
X0_CM = 14.0
DEDX_MEV_PER_CM = 2.1
ELECTRON_MASS = 0.511
DELTA_CUT_MEV = 0.3
BREMS_CUT_MEV = 0.3
MOLLER_K = 0.1535 * (18.0 / 39.948) * DENSITY_G_CM3  # MeV/cm: 2 pi N_A r_e^2 m_e c^2 Z/A rho
ELECTRONS_PER_CM3 = DENSITY_G_CM3 * 6.02214e23 * 18.0 / 39.948
CLASSICAL_RADIUS_CM = 2.8179403e-13
STEP_CM = 0.1
PHOTON_ABSORB_MEV = 0.1
ELECTRON_STOP_MEV = 0.02
BOX_ALPHA, BOX_BETA = 0.93, 0.212  # modified box model, beta in (kV/cm)(g/cm^2)/MeV
FIELD_KV_CM = 0.5
ALPHA_DEDX_MEV_PER_CM = 1000.0
AR39_BQ_PER_KG = 1.01
WIRE_LENGTH_CM = 600.0

SOURCES = ("main_track", "deexcitation_gamma", "neutron_capture", "ar39", "k42", "radon")
BACKGROUND_MIX = {"deexcitation_gamma": 0.30, "neutron_capture": 0.30, "ar39": 0.10, "k42": 0.15, "radon": 0.15}
K40_LEVELS_MEV = np.array([2.29, 2.73, 3.80, 4.38])
K40_LEVEL_WEIGHTS = np.array([0.25, 0.15, 0.10, 0.50])
NCAPTURE_MEV = 6.099


def box_recombination(dedx_mev_per_cm: float | np.ndarray) -> np.ndarray:
    """Charge surviving recombination at ``dedx`` (modified box model, ArgoNeuT)."""
    xi = BOX_BETA / (DENSITY_G_CM3 * FIELD_KV_CM) * np.asarray(dedx_mev_per_cm, dtype=np.float64)
    return np.asarray(np.log(BOX_ALPHA + xi) / xi)


ALPHA_CHARGE_FRACTION = float(box_recombination(ALPHA_DEDX_MEV_PER_CM) / box_recombination(DEDX_MEV_PER_CM))
WINDOW_Z_CM = WIRES * WIRE_PITCH_CM
WINDOW_X_CM = TICKS * TICK_CM
PILEUP_PER_IMAGE = (AR39_BQ_PER_KG * DENSITY_G_CM3 * 1e-3 * WINDOW_Z_CM * WIRE_LENGTH_CM * MAX_DRIFT_CM
                    * TICKS * TICK_US * 1e-6)
MIP_PEAK_ADC = ADC_PER_MEV * DEDX_MEV_PER_CM * WIRE_PITCH_CM / (math.sqrt(2 * math.pi) * SHAPING_SIGMA_TICKS)
NOISE_ADC = MIP_PEAK_ADC / MIP_SNR
HIT_THRESHOLD_ADC = NOISE_THRESHOLD_SIGMAS * NOISE_ADC


@dataclass
class Deposits:
    """Energy deposits: the cluster each belongs to, its drift (x) and across-wire (z) position in cm, its
    true energy and its charge in electron-equivalent MeV; ``pileup`` marks pile-up decays."""

    cid: list[np.ndarray] = field(default_factory=list)
    x: list[np.ndarray] = field(default_factory=list)
    z: list[np.ndarray] = field(default_factory=list)
    e: list[np.ndarray] = field(default_factory=list)
    q: list[np.ndarray] = field(default_factory=list)
    pileup: list[np.ndarray] = field(default_factory=list)

    def add(self, cid: np.ndarray, x: np.ndarray, z: np.ndarray, e: np.ndarray, pileup: np.ndarray,
            q: np.ndarray | None = None) -> None:
        keep = e > 0
        if not keep.any():
            return
        self.cid.append(cid[keep])
        self.x.append(x[keep])
        self.z.append(z[keep])
        self.e.append(e[keep])
        self.q.append((e if q is None else q)[keep])
        self.pileup.append(pileup[keep])

    def arrays(self) -> tuple[np.ndarray, ...]:
        if not self.cid:
            empty = np.zeros(0)
            return empty.astype(np.int64), empty, empty, empty, empty, empty.astype(bool)
        return tuple(np.concatenate(a) for a in (self.cid, self.x, self.z, self.e, self.q, self.pileup))


@dataclass
class Particles:
    """A batch of particles: cluster id, 3-D position (x drift, y along the wires, z across wires), unit
    direction, kinetic energy; ``pileup`` marks those of pile-up decays."""

    cid: np.ndarray
    pos: np.ndarray
    dir: np.ndarray
    energy: np.ndarray
    pileup: np.ndarray

    @staticmethod
    def empty() -> Particles:
        return Particles(np.zeros(0, np.int64), np.zeros((0, 3)), np.zeros((0, 3)), np.zeros(0), np.zeros(0, bool))

    def __len__(self) -> int:
        return len(self.cid)

    def take(self, m: np.ndarray) -> Particles:
        return Particles(self.cid[m], self.pos[m], self.dir[m], self.energy[m], self.pileup[m])

    @staticmethod
    def concat(parts: list[Particles]) -> Particles:
        parts = [p for p in parts if len(p)]
        if not parts:
            return Particles.empty()
        return Particles(np.concatenate([p.cid for p in parts]), np.concatenate([p.pos for p in parts]),
                         np.concatenate([p.dir for p in parts]), np.concatenate([p.energy for p in parts]),
                         np.concatenate([p.pileup for p in parts]))


def isotropic(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _perpendicular_basis(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors perpendicular to each row of ``d`` and to each other."""
    helper = np.where(np.abs(d[:, :1]) < 0.9, np.array([[1.0, 0, 0]]), np.array([[0, 1.0, 0]]))
    u = np.cross(d, helper)
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    return u, np.cross(d, u)


def rotate(rng: np.random.Generator, d: np.ndarray, cos_theta: np.ndarray) -> np.ndarray:
    """Each direction of ``d`` turned by the polar angle ``arccos(cos_theta)`` at a random azimuth."""
    cos_theta = np.clip(cos_theta, -1.0, 1.0)
    sin_theta = np.sqrt(1.0 - cos_theta ** 2)
    phi = rng.uniform(0, 2 * np.pi, len(d))
    u, w = _perpendicular_basis(d)
    out = (d * cos_theta[:, None] + (u * np.cos(phi)[:, None] + w * np.sin(phi)[:, None]) * sin_theta[:, None])
    return np.asarray(out / np.linalg.norm(out, axis=1, keepdims=True))


def _outside(pos: np.ndarray, margin: float) -> np.ndarray:
    return ((pos[:, 0] < -margin) | (pos[:, 0] > WINDOW_X_CM + margin)
            | (pos[:, 2] < -margin) | (pos[:, 2] > WINDOW_Z_CM + margin))


def transport_electrons(rng: np.random.Generator, p: Particles, deposits: Deposits, *, secondaries: bool = True,
                        path: np.ndarray | None = None) -> tuple[Particles, Particles]:
    """Step electrons until they stop or leave the image by 2 cm, depositing ionisation; returns the delta
    rays and bremsstrahlung photons they produced (to be followed by the caller). ``path`` (one entry per
    electron) accumulates each electron's path length; with ``secondaries`` false, neither delta rays nor
    photons are made and the full 2.1 MeV/cm is deposited continuously."""
    idx = np.arange(len(p))
    cid, pos, d, energy, pile = p.cid.copy(), p.pos.copy(), p.dir.copy(), p.energy.copy(), p.pileup.copy()
    deltas: list[Particles] = []
    photons: list[Particles] = []
    ds = STEP_CM
    while len(cid):
        n = len(cid)
        t_max = energy / 2.0
        has_delta = t_max > DELTA_CUT_MEV
        delta_share = np.where(has_delta, MOLLER_K * np.log(np.maximum(t_max, DELTA_CUT_MEV) / DELTA_CUT_MEV), 0.0)
        if not secondaries:
            delta_share[:] = 0.0
        mean_loss = (DEDX_MEV_PER_CM - delta_share) * ds
        loss = np.maximum(mean_loss * (1.0 + 0.1 * rng.standard_normal(n)), 0.0)
        if secondaries:
            # delta rays above the cut (at most one per 1 mm step: the expected number is below 0.04)
            p_delta = np.where(has_delta, MOLLER_K * ds * (1 / DELTA_CUT_MEV - 1 / np.maximum(t_max, DELTA_CUT_MEV)), 0)
            make = rng.random(n) < p_delta
            if make.any():
                k = np.flatnonzero(make)
                u = rng.random(len(k))
                t = 1.0 / (1 / DELTA_CUT_MEV - u * (1 / DELTA_CUT_MEV - 1 / t_max[k]))
                t = np.minimum(t, energy[k])
                e_par = energy[k]
                cos_d = np.sqrt(t * (e_par + 2 * ELECTRON_MASS) / (e_par * (t + 2 * ELECTRON_MASS)))
                deltas.append(Particles(cid[k], pos[k].copy(), rotate(rng, d[k], cos_d), t, pile[k]))
                energy[k] -= t
            # bremsstrahlung photons above the cut
            has_brems = energy > BREMS_CUT_MEV
            p_brems = np.where(has_brems, ds / X0_CM * (4 / 3) * np.log(np.maximum(energy, BREMS_CUT_MEV)
                                                                        / BREMS_CUT_MEV), 0.0)
            make = rng.random(n) < p_brems
            if make.any():
                k = np.flatnonzero(make)
                kgam = BREMS_CUT_MEV * (energy[k] / BREMS_CUT_MEV) ** rng.random(len(k))
                photons.append(Particles(cid[k], pos[k].copy(), d[k].copy(), kgam, pile[k]))
                energy[k] -= kgam
        loss = np.minimum(loss, np.maximum(energy, 0.0))
        stopping = energy - loss < ELECTRON_STOP_MEV
        loss = np.where(stopping, np.maximum(energy, 0.0), loss)
        step = np.where(stopping, ds * loss / np.maximum(mean_loss, 1e-9), ds)
        mid = pos + d * (step / 2)[:, None]
        deposits.add(cid, mid[:, 0], mid[:, 2], loss, pile)
        if path is not None:
            np.add.at(path, idx, step)
        pos = pos + d * step[:, None]
        energy = energy - loss
        # multiple scattering (Highland), for the electrons still moving
        mom = np.sqrt(np.maximum(energy, 1e-6) ** 2 + 2 * np.maximum(energy, 1e-6) * ELECTRON_MASS)
        beta = mom / (np.maximum(energy, 1e-6) + ELECTRON_MASS)
        x_x0 = ds / X0_CM
        theta0 = 13.6 / (beta * mom) * math.sqrt(x_x0) * (1 + 0.038 * math.log(x_x0))
        g = rng.standard_normal((n, 3)) * theta0[:, None]
        g -= d * (g * d).sum(axis=1, keepdims=True)
        d = d + g
        d /= np.linalg.norm(d, axis=1, keepdims=True)
        alive = ~stopping & ~_outside(pos, 2.0)
        cid, pos, d, energy, pile, idx = cid[alive], pos[alive], d[alive], energy[alive], pile[alive], idx[alive]
    return Particles.concat(deltas), Particles.concat(photons)


def compton_cross_section(k: np.ndarray) -> np.ndarray:
    """Klein-Nishina total cross section per electron (cm^2) at photon energy ``k`` (MeV)."""
    a = np.asarray(k, dtype=np.float64) / ELECTRON_MASS
    l2 = np.log1p(2 * a)
    return np.asarray(2 * np.pi * CLASSICAL_RADIUS_CM ** 2 * (
        (1 + a) / a ** 2 * (2 * (1 + a) / (1 + 2 * a) - l2 / a) + l2 / (2 * a) - (1 + 3 * a) / (1 + 2 * a) ** 2))


def klein_nishina(rng: np.random.Generator, k: np.ndarray) -> np.ndarray:
    """The scattered photon's energy fraction for photons of energy ``k`` (G4KleinNishinaCompton's sampling)."""
    kappa = k / ELECTRON_MASS
    eps0 = 1 / (1 + 2 * kappa)
    a1 = np.log(1 / eps0)
    a2 = (1 - eps0 ** 2) / 2
    out = np.empty(len(k))
    todo = np.arange(len(k))
    while len(todo):
        r1, r2, r3 = rng.random((3, len(todo)))
        e0, aa1, aa2, kp = eps0[todo], a1[todo], a2[todo], kappa[todo]
        first = aa1 / (aa1 + aa2) > r1
        eps = np.where(first, np.exp(-aa1 * r2), np.sqrt(e0 ** 2 + (1 - e0 ** 2) * r2))
        t = (1 - eps) / (kp * eps)
        sin2 = t * (2 - t)
        accept = r3 <= 1 - eps * sin2 / (1 + eps ** 2)
        out[todo[accept]] = eps[accept]
        todo = todo[~accept]
    return out


def transport_photons(rng: np.random.Generator, g: Particles) -> Particles:
    """Follow photons through successive Compton scatters until absorbed or 30 cm outside the image; returns
    the electrons they set moving."""
    electrons: list[Particles] = []
    while len(g):
        mu = ELECTRONS_PER_CM3 * compton_cross_section(g.energy)
        dist = rng.exponential(1 / mu)
        pos = g.pos + g.dir * dist[:, None]
        g = Particles(g.cid, pos, g.dir, g.energy, g.pileup)
        g = g.take(~_outside(pos, 30.0))
        if not len(g):
            break
        absorb = g.energy < PHOTON_ABSORB_MEV
        if absorb.any():
            a = g.take(absorb)
            electrons.append(Particles(a.cid, a.pos, isotropic(rng, len(a)), a.energy, a.pileup))
        g = g.take(~absorb)
        if not len(g):
            break
        eps = klein_nishina(rng, g.energy)
        k, k2 = g.energy, g.energy * eps
        t = k - k2
        cos_g = 1 - ELECTRON_MASS * (1 / k2 - 1 / k)
        phi = rng.uniform(0, 2 * np.pi, len(k))
        u, w = _perpendicular_basis(g.dir)
        sin_g = np.sqrt(np.clip(1 - cos_g ** 2, 0, 1))
        new_dir = g.dir * cos_g[:, None] + (u * np.cos(phi)[:, None] + w * np.sin(phi)[:, None]) * sin_g[:, None]
        cos_e = np.clip((k + ELECTRON_MASS) / k * np.sqrt(t / (t + 2 * ELECTRON_MASS)), -1, 1)
        sin_e = np.sqrt(1 - cos_e ** 2)
        # the electron leaves on the other side of the photon's original direction (opposite azimuth)
        e_dir = g.dir * cos_e[:, None] - (u * np.cos(phi)[:, None] + w * np.sin(phi)[:, None]) * sin_e[:, None]
        e_dir /= np.linalg.norm(e_dir, axis=1, keepdims=True)
        electrons.append(Particles(g.cid, g.pos.copy(), e_dir, t, g.pileup))
        g = Particles(g.cid, g.pos, new_dir / np.linalg.norm(new_dir, axis=1, keepdims=True), k2, g.pileup)
    return Particles.concat(electrons)


def simulate_particles(rng: np.random.Generator, electrons: Particles, photons: Particles,
                       deposits: Deposits) -> None:
    """Follow electrons and photons and everything they produce, depositing into ``deposits``."""
    while len(electrons) or len(photons):
        if len(photons):
            electrons = Particles.concat([electrons, transport_photons(rng, photons)])
        deltas, photons = transport_electrons(rng, electrons, deposits)
        electrons = deltas


# ---- energy spectra ----------------------------------------------------------------------------------------

def _beta_spectrum(rng: np.random.Generator, q: float | np.ndarray, n: int) -> np.ndarray:
    """Kinetic energies of beta electrons with endpoint ``q``: p E (Q - T)^2 with the first-forbidden unique
    shape factor (p^2 + (Q - T)^2); the Fermi function is left out. Rejection sampling."""
    q = np.broadcast_to(np.asarray(q, dtype=np.float64), (n,)).copy()
    grid = np.linspace(0, 1, 201)[None, :] * q[:, None]
    dens = _beta_density(grid, q[:, None])
    top = dens.max(axis=1) * 1.05
    out = np.empty(n)
    todo = np.arange(n)
    while len(todo):
        t = rng.random(len(todo)) * q[todo]
        acc = rng.random(len(todo)) * top[todo] <= _beta_density(t, q[todo])
        out[todo[acc]] = t[acc]
        todo = todo[~acc]
    return out


def _beta_density(t: np.ndarray, q: np.ndarray) -> np.ndarray:
    e = t + ELECTRON_MASS
    p = np.sqrt(np.maximum(e ** 2 - ELECTRON_MASS ** 2, 0))
    nu = np.maximum(q - t, 0)
    return np.asarray(p * e * nu ** 2 * (p ** 2 + nu ** 2))


def neutrino_energies(rng: np.random.Generator, n: int, mean: float = 11.0, alpha: float = 2.5) -> np.ndarray:
    """Supernova neutrino energies from the pinched spectrum E^alpha exp(-(alpha + 1) E / mean)."""
    return rng.gamma(alpha + 1, mean / (alpha + 1), n)


def main_track_energies(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` main-track electron kinetic energies in [5, 50] MeV, whether each is charged current, and the
    K-40 level of each charged-current event (0 for elastic scattering)."""
    energies, cc, levels = np.empty(0), np.empty(0, bool), np.empty(0)
    while len(energies) < n:
        m = 4 * n + 64
        is_cc = rng.random(m) < 0.9
        e_nu = neutrino_energies(rng, m)
        level = rng.choice(K40_LEVELS_MEV, m, p=K40_LEVEL_WEIGHTS)
        e_cc = e_nu - 1.50 - level
        t_max = 2 * e_nu ** 2 / (ELECTRON_MASS + 2 * e_nu)
        e_es = rng.random(m) * t_max
        e = np.where(is_cc, e_cc, e_es)
        # cross sections: allowed CC ~ E_e^2 (relative to 50 MeV), ES ~ E_nu (relative to 200 MeV)
        weight = np.where(is_cc, np.maximum(e_cc, 0) ** 2 / 2500.0, e_nu / 200.0)
        keep = (rng.random(m) < weight) & (e >= 5.0) & (e <= 50.0)
        energies = np.concatenate([energies, e[keep]])
        cc = np.concatenate([cc, is_cc[keep]])
        levels = np.concatenate([levels, np.where(is_cc, level, 0.0)[keep]])
    return energies[:n], cc[:n], levels[:n]


def _split_energy(rng: np.random.Generator, total: float, parts: int) -> np.ndarray:
    w = rng.dirichlet(np.ones(parts))
    return np.asarray(total * w)


# ---- clusters ------------------------------------------------------------------------------------------

def _vertices(rng: np.random.Generator, n: int) -> np.ndarray:
    pos = np.zeros((n, 3))
    pos[:, 0] = rng.uniform(EDGE_MARGIN, 1 - EDGE_MARGIN, n) * WINDOW_X_CM
    pos[:, 1] = 0.0
    pos[:, 2] = rng.uniform(EDGE_MARGIN, 1 - EDGE_MARGIN, n) * WINDOW_Z_CM
    return pos


def _gamma_cluster(rng: np.random.Generator, cid: np.ndarray,
                   cascades: list[np.ndarray]) -> tuple[Particles, np.ndarray]:
    """Photons of gamma cascades placed so that the first interaction of the first gamma of each cascade lies
    at a vertex inside the image; returns the photons (with the first ones already at their interaction
    point, the others at the emission point) and the first gamma energies."""
    n = len(cid)
    vertex = _vertices(rng, n)
    first = np.array([c[0] for c in cascades])
    d1 = isotropic(rng, n)
    mu = ELECTRONS_PER_CM3 * compton_cross_section(first)
    emission = vertex - d1 * rng.exponential(1 / mu)[:, None]
    parts = [Particles(cid, vertex - d1 * 1e-6, d1, first, np.zeros(n, bool))]  # interacts at once (at the vertex)
    others = [(i, e) for i, c in enumerate(cascades) for e in c[1:]]
    if others:
        rows = np.array([i for i, _ in others])
        es = np.array([e for _, e in others])
        parts.append(Particles(cid[rows], emission[rows], isotropic(rng, len(rows)), es, np.zeros(len(rows), bool)))
    return Particles.concat(parts), first


def transport_photons_at(rng: np.random.Generator, g: Particles, n_first: int) -> Particles:
    """Like :func:`transport_photons`, except that the first ``n_first`` photons interact where they are."""
    first, rest = g.take(np.arange(len(g)) < n_first), g.take(np.arange(len(g)) >= n_first)
    electrons = []
    eps = klein_nishina(rng, first.energy)
    k, k2 = first.energy, first.energy * eps
    t = k - k2
    cos_g = 1 - ELECTRON_MASS * (1 / k2 - 1 / k)
    phi = rng.uniform(0, 2 * np.pi, len(k))
    u, w = _perpendicular_basis(first.dir)
    sin_g = np.sqrt(np.clip(1 - cos_g ** 2, 0, 1))
    ring = u * np.cos(phi)[:, None] + w * np.sin(phi)[:, None]
    new_dir = first.dir * cos_g[:, None] + ring * sin_g[:, None]
    cos_e = np.clip((k + ELECTRON_MASS) / k * np.sqrt(t / (t + 2 * ELECTRON_MASS)), -1, 1)
    e_dir = first.dir * cos_e[:, None] - ring * np.sqrt(1 - cos_e ** 2)[:, None]
    electrons.append(Particles(first.cid, first.pos.copy(), e_dir / np.linalg.norm(e_dir, axis=1, keepdims=True),
                               t, first.pileup))
    scattered = Particles(first.cid, first.pos, new_dir / np.linalg.norm(new_dir, axis=1, keepdims=True), k2,
                          first.pileup)
    electrons.append(transport_photons(rng, Particles.concat([scattered, rest])))
    return Particles.concat(electrons)


@dataclass
class Primaries:
    """What one source starts in a batch of clusters: electrons and photons to follow, alpha deposits
    (point-like, quenched), and each cluster's primary energy (MeV)."""

    electrons: Particles
    photons: Particles
    energy: np.ndarray
    alpha_cid: np.ndarray
    alpha_pos: np.ndarray
    alpha_energy: np.ndarray


def source_primaries(rng: np.random.Generator, source: str, cid: np.ndarray) -> Primaries:
    """The primaries of ``len(cid)`` clusters of ``source`` (see the module docstring)."""
    n = len(cid)
    none = Particles.empty()
    no_alpha = (np.zeros(0, np.int64), np.zeros((0, 3)), np.zeros(0))
    zeros = np.zeros(n, bool)
    if source == "main_track":
        e, _, _ = main_track_energies(rng, n)
        return Primaries(Particles(cid, _vertices(rng, n), isotropic(rng, n), e, zeros), none, e, *no_alpha)
    if source in ("deexcitation_gamma", "neutron_capture"):
        cascades = []
        for _ in range(n):
            if source == "deexcitation_gamma":
                level = float(rng.choice(K40_LEVELS_MEV, p=K40_LEVEL_WEIGHTS))
                cascades.append(_split_energy(rng, level, int(rng.integers(1, 4))))
            elif rng.random() < 0.5:
                cascades.append(rng.permutation(np.array([4.745, 1.187, 0.167])))
            else:
                cascades.append(_split_energy(rng, NCAPTURE_MEV, int(rng.integers(2, 5))))
        g, _ = _gamma_cluster(rng, cid, cascades)
        electrons = transport_photons_at(rng, g, n)
        return Primaries(electrons, none, np.array([c.sum() for c in cascades]), *no_alpha)
    if source == "ar39":
        e = _beta_spectrum(rng, 0.565, n)
        return Primaries(Particles(cid, _vertices(rng, n), isotropic(rng, n), e, zeros), none, e, *no_alpha)
    if source == "k42":
        ground = rng.random(n) < 0.82
        e = _beta_spectrum(rng, np.where(ground, 3.525, 2.0), n)
        vert = _vertices(rng, n)
        gam = ~ground
        m = int(gam.sum())
        photons = Particles(cid[gam], vert[gam], isotropic(rng, m), np.full(m, 1.525), np.zeros(m, bool))
        return Primaries(Particles(cid, vert, isotropic(rng, n), e, zeros), photons, e + np.where(gam, 1.525, 0.0),
                         *no_alpha)
    if source == "radon":
        member = rng.integers(0, 5, n)  # Rn-222 alpha, Po-218 alpha, Pb-214 beta, Bi-214 beta, Po-214 alpha
        alpha_e = np.array([5.49, 6.00, 0.0, 0.0, 7.69])[member]
        q = np.array([1.0, 1.0, 1.02, 3.27, 1.0])[member]
        e = np.where(alpha_e > 0, alpha_e, _beta_spectrum(rng, q, n))
        beta = alpha_e == 0
        vert = _vertices(rng, n)
        electrons = Particles(cid[beta], vert[beta], isotropic(rng, int(beta.sum())), e[beta], zeros[beta])
        return Primaries(electrons, none, e, cid[~beta], vert[~beta], alpha_e[~beta])
    raise ValueError(f"unknown source {source!r}; known: {', '.join(SOURCES)}")


def _pileup(rng: np.random.Generator, n: int) -> Particles:
    counts = rng.poisson(PILEUP_PER_IMAGE, n)
    cid = np.repeat(np.arange(n), counts)
    m = len(cid)
    pos = np.zeros((m, 3))
    pos[:, 0] = rng.uniform(0, WINDOW_X_CM, m)
    pos[:, 2] = rng.uniform(0, WINDOW_Z_CM, m)
    return Particles(cid, pos, isotropic(rng, m), _beta_spectrum(rng, 0.565, m), np.ones(m, bool))


def _phi(x: np.ndarray) -> np.ndarray:
    """The standard normal CDF (Abramowitz and Stegun 7.1.26 for erf, |error| < 1.5e-7)."""
    z = np.abs(x) / math.sqrt(2)
    t = 1 / (1 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1 - poly * np.exp(-z * z)
    return np.asarray(0.5 * (1 + np.sign(x) * erf))


def _tick_kernel(sigma: float) -> np.ndarray:
    """(TICKS, TICKS) matrix spreading charge in tick j over ticks i by a normalised Gaussian of ``sigma``."""
    off = np.arange(-TICKS + 1, TICKS)
    w = np.exp(-0.5 * (off / sigma) ** 2)
    w /= w.sum()
    i, j = np.meshgrid(np.arange(TICKS), np.arange(TICKS), indexing="ij")
    return np.asarray(w[i - j + TICKS - 1], dtype=np.float32)


def render(rng: np.random.Generator, n: int, dep: Deposits) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Images (n, TICKS, WIRES) of raw, pedestal-subtracted ADC, each cluster's true deposited energy
    inside the image (pile-up excluded), and whether all of its (non-pile-up) deposits lie inside."""
    cid, x, z, e, q, pile = dep.arrays()
    inside = (x >= 0) & (x < WINDOW_X_CM) & (z >= 0) & (z < WINDOW_Z_CM)
    own = ~pile
    true_in = np.bincount(cid[inside & own], weights=e[inside & own], minlength=n)
    outside_any = np.bincount(cid[~inside & own], minlength=n) > 0
    drift_us = rng.uniform(0, MAX_DRIFT_CM, n) / DRIFT_VELOCITY_CM_PER_US
    sigma_l = np.sqrt(2 * DIFFUSION_L_CM2_PER_US * drift_us) / TICK_CM
    sigma_t = np.maximum(np.sqrt(2 * DIFFUSION_T_CM2_PER_US * drift_us) / WIRE_PITCH_CM, 1e-3)
    cid, x, z, q = cid[inside], x[inside], z[inside], q[inside]
    tick = np.minimum((x / TICK_CM).astype(np.int64), TICKS - 1)
    w = z / WIRE_PITCH_CM
    centre = np.floor(w).astype(np.int64)
    s = sigma_t[cid]
    hist = np.zeros(n * TICKS * WIRES, dtype=np.float64)
    for o in (-2, -1, 0, 1, 2):
        wire = centre + o
        frac = _phi((wire + 1 - w) / s) - _phi((wire - w) / s)
        ok = (wire >= 0) & (wire < WIRES) & (frac > 1e-6)
        flat = (cid[ok] * TICKS + tick[ok]) * WIRES + wire[ok]
        hist += np.bincount(flat, weights=q[ok] * frac[ok] * ADC_PER_MEV, minlength=len(hist))
    h = hist.reshape(n, TICKS, WIRES).astype(np.float32)
    total = np.sqrt(SHAPING_SIGMA_TICKS ** 2 + sigma_l ** 2)
    bins = np.round(total, 1)
    images = np.empty_like(h)
    for b in np.unique(bins):
        m = bins == b
        images[m] = np.einsum("ij,njw->niw", _tick_kernel(float(b)), h[m], optimize=True)
    images += rng.normal(0.0, NOISE_ADC, images.shape).astype(np.float32)
    np.clip(np.rint(images), -900.0, ADC_SATURATION, out=images)
    images += 0.0  # no negative zeros from rounding
    return images, true_in, ~outside_any


def reconstructed_energy(images: np.ndarray) -> np.ndarray:
    """What an energy cut sees: the ADC above the hit threshold summed over the image, in MeV."""
    a = np.asarray(images, dtype=np.float64)
    return np.asarray(np.where(a > HIT_THRESHOLD_ADC, a, 0.0).sum(axis=(-2, -1)) / ADC_PER_MEV)


def simulate_source(rng: np.random.Generator, source: str, n: int) -> dict[str, np.ndarray]:
    """``n`` clusters of one source, before the trigger: images and per-cluster truth."""
    cid = np.arange(n)
    prim = source_primaries(rng, source, cid)
    deposits = Deposits()
    if len(prim.alpha_cid):
        a = prim.alpha_pos
        deposits.add(prim.alpha_cid, a[:, 0], a[:, 2], prim.alpha_energy, np.zeros(len(a), bool),
                     q=prim.alpha_energy * ALPHA_CHARGE_FRACTION)
    simulate_particles(rng, prim.electrons, prim.photons, deposits)
    pile = _pileup(rng, n)
    simulate_particles(rng, pile, Particles.empty(), deposits)
    images, true_in, contained = render(rng, n, deposits)
    return {"images": images, "true_energy": true_in, "contained": contained, "particle_energy": prim.energy,
            "reco_energy": reconstructed_energy(images)}


@dataclass
class Clusters:
    """Simulated, triggered clusters: images (n, 128, 32) float32 raw ADC; ``label`` 1 for a main track;
    ``source`` an index into :data:`SOURCES`; ``true_energy`` deposited inside the image (MeV, pile-up
    excluded); ``reco_energy`` above-threshold ADC / 3,600; ``particle_energy`` the primary's energy (the
    cascade's total for gamma sources); ``contained`` whether every deposit of the cluster lies inside."""

    images: np.ndarray
    label: np.ndarray
    source: np.ndarray
    true_energy: np.ndarray
    reco_energy: np.ndarray
    particle_energy: np.ndarray
    contained: np.ndarray

    def __len__(self) -> int:
        return len(self.label)


def source_counts(n: int, main_fraction: float, mix: dict[str, float]) -> dict[str, int]:
    """Clusters per source: ``round(n * main_fraction)`` main tracks, the rest split by ``mix`` (largest
    remainders)."""
    n_main = round(n * main_fraction)
    rest = n - n_main
    total = sum(mix.values())
    share = {s: rest * w / total for s, w in mix.items()}
    counts = {s: math.floor(v) for s, v in share.items()}
    for s in sorted(share, key=lambda k: (-(share[k] - counts[k]), k))[: rest - sum(counts.values())]:
        counts[s] += 1
    return {"main_track": n_main, **counts}


def block_sum(images: np.ndarray, tick_sum: int, wire_sum: int) -> np.ndarray:
    """Images (..., T, W) with each ``tick_sum`` x ``wire_sum`` block of pixels summed into one (charge is
    kept); T and W must be multiples of the factors."""
    a = np.asarray(images)
    t, w = a.shape[-2], a.shape[-1]
    if tick_sum == 1 and wire_sum == 1:
        return a
    return np.asarray(a.reshape(*a.shape[:-2], t // tick_sum, tick_sum, w // wire_sum, wire_sum).sum(axis=(-3, -1)))


def generate(n: int, seed: int, main_fraction: float = 1 / 7, mix: dict[str, float] | None = None,
             batch: int = 2048, tick_sum: int = 1, wire_sum: int = 1) -> Clusters:
    """``n`` triggered clusters (cluster trigger: reconstructed energy >= 0.3 MeV), main tracks a
    ``main_fraction`` of them, in a seeded random order. Deterministic in its arguments. With ``tick_sum``
    / ``wire_sum`` > 1 the images are returned with blocks of ticks / wires summed (the energies are those
    of the full-resolution image)."""
    rng = np.random.default_rng(seed)
    counts = source_counts(n, main_fraction, BACKGROUND_MIX if mix is None else mix)
    parts: dict[str, list[dict[str, np.ndarray]]] = {}
    for source in SOURCES:
        need = counts.get(source, 0)
        got: list[dict[str, np.ndarray]] = []
        acceptance = 1.0
        while need > 0:
            m = min(batch, max(16, math.ceil(need / max(acceptance, 0.02) * 1.1)))
            sim = simulate_source(rng, source, m)
            keep = np.flatnonzero(sim["reco_energy"] >= CLUSTER_TRIGGER_MEV)
            acceptance = max(len(keep), 1) / m
            keep = keep[:need]
            got.append({k: v[keep] for k, v in sim.items()})
            got[-1]["images"] = block_sum(got[-1]["images"], tick_sum, wire_sum).astype(np.float32)
            need -= len(keep)
        parts[source] = got
    cols = {k: np.concatenate([p[k] for s in SOURCES for p in parts.get(s, [])]) for k in
            ("images", "true_energy", "contained", "particle_energy", "reco_energy")}
    source = np.concatenate([np.full(sum(len(p["reco_energy"]) for p in parts.get(s, [])), i, np.int8)
                             for i, s in enumerate(SOURCES)])
    order = rng.permutation(n)
    return Clusters(images=cols["images"][order], label=(source[order] == 0).astype(np.int8), source=source[order],
                    true_energy=cols["true_energy"][order], reco_energy=cols["reco_energy"][order],
                    particle_energy=cols["particle_energy"][order], contained=cols["contained"][order])

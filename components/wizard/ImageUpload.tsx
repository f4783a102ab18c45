"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { api, ApiRequestError, queryKeys, type UploadProgress } from "@/lib/api/apiClient";
import { formatBytes, MAX_IMAGE_BYTES, type PlanImageView } from "@/lib/plan/planImage";
import type { PlanView } from "@/lib/plan/planView";
import { useI18n } from "../i18n/I18nProvider";
import { Button } from "../ui/Button";
import { TextField } from "../ui/TextField";

type Upload = { name: string; progress: UploadProgress; abort: AbortController };

function percentOf({ loadedBytes, totalBytes }: UploadProgress): number {
  return totalBytes > 0 ? Math.floor((100 * loadedBytes) / totalBytes) : 0;
}

/**
 * "Upload your own image": a file picker, the upload's progress, the image the plan has (name,
 * size, format) with Remove, and who logs in to VMs booted from it. The server keeps the file;
 * the plan view says which one it is.
 */
export function ImageUpload({ plan }: { plan: PlanView }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const image = plan.uploadedImage ?? null;
  const [upload, setUpload] = useState<Upload | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const pickerId = useId();

  /** The plan as stored now has this image; what the plan builds is built again. */
  const planHas = (uploadedImage: PlanImageView | null) => {
    queryClient.setQueryData<PlanView>(queryKeys.plan(plan.id), (held) => held && { ...held, uploadedImage });
    queryClient.removeQueries({ queryKey: queryKeys.playbook(plan.id) });
  };

  const send = async (file: File) => {
    setError(null);
    if (file.size > MAX_IMAGE_BYTES) return setError(t("image.tooLarge", { size: formatBytes(file.size), max: formatBytes(MAX_IMAGE_BYTES) }));
    const abort = new AbortController();
    const started: Upload = { name: file.name, progress: { loadedBytes: 0, totalBytes: file.size }, abort };
    setUpload(started);
    try {
      const { uploadedImage } = await api.uploadImage(plan.id, file, (progress) => setUpload({ ...started, progress }), abort.signal);
      planHas(uploadedImage);
    } catch (failure) {
      if (!abort.signal.aborted) setError(t("image.failed", { error: failure instanceof ApiRequestError ? failure.message : String(failure) }));
    } finally {
      setUpload(null);
      if (picker.current) picker.current.value = "";
    }
  };

  const remove = async () => {
    setError(null);
    setRemoving(true);
    try {
      await api.removeImage(plan.id);
      planHas(null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setRemoving(false);
    }
  };

  return (
    <section aria-labelledby="image-heading" data-testid="image-upload">
      <h2 id="image-heading" className="mb-1 text-lg font-semibold">
        {t("image.heading")}
      </h2>
      <p className="mb-3 text-sm text-slate-700">{t("image.note")}</p>
      <div className="space-y-3">
        <div>
          <label htmlFor={pickerId} className={`inline-block cursor-pointer rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-blue-700 ${upload ? "pointer-events-none opacity-60" : ""}`}>
            {image ? t("image.replace") : t("image.choose")}
            <input
              id={pickerId}
              ref={picker}
              type="file"
              className="sr-only"
              disabled={upload !== null}
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) void send(file);
              }}
            />
          </label>
        </div>
        {upload && <UploadBar upload={upload} />}
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
        {image ? (
          <div className="rounded border border-slate-200 bg-white p-3" data-testid="uploaded-image">
            <div className="flex flex-wrap items-center gap-3">
              <span className="text-sm font-medium text-slate-800">{t("image.uploaded")}:</span>
              <span className="text-sm text-slate-800" data-testid="uploaded-image-summary">
                {t("image.summary", { name: image.fileName, size: formatBytes(image.bytes), format: image.diskFormat })}
              </span>
              <Button variant="danger" onClick={() => void remove()} disabled={removing || upload !== null}>
                {removing ? t("image.removing") : t("image.remove")}
              </Button>
            </div>
            <LoginUserField plan={plan} image={image} onSaved={planHas} />
            <p className="mt-1 text-xs text-slate-600">{t("image.loginUser.hint")}</p>
          </div>
        ) : (
          !upload && <p className="text-sm text-slate-600">{t("image.none")}</p>
        )}
      </div>
    </section>
  );
}

function UploadBar({ upload }: { upload: Upload }) {
  const { t } = useI18n();
  const percent = percentOf(upload.progress);
  return (
    <div className="space-y-1" data-testid="image-upload-progress">
      <div className="flex items-center gap-3 text-sm text-slate-700">
        <span>{t("image.uploading", { name: upload.name })}</span>
        <span className="tabular-nums">{t("image.progress", { sent: formatBytes(upload.progress.loadedBytes), total: formatBytes(upload.progress.totalBytes), percent })}</span>
        <Button onClick={() => upload.abort.abort()}>{t("image.cancel")}</Button>
      </div>
      <div className="h-2 rounded bg-slate-100" role="progressbar" aria-label={t("image.progressLabel", { name: upload.name })} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div className="h-2 rounded bg-blue-700" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

/** Saved when the field is left; a name the server refuses stays with its reason. */
function LoginUserField({ plan, image, onSaved }: { plan: PlanView; image: PlanImageView; onSaved: (image: PlanImageView) => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState(image.loginUser);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setValue(image.loginUser), [image.loginUser]);
  const save = async () => {
    if (value.trim() === image.loginUser) return setError(null);
    try {
      onSaved((await api.setImageLoginUser(plan.id, value)).uploadedImage);
      setError(null);
    } catch (failure) {
      const issue = failure instanceof ApiRequestError ? (failure.body?.issues as { message: string }[] | undefined)?.[0]?.message : undefined;
      setError(issue ?? (failure instanceof Error ? failure.message : String(failure)));
    }
  };
  return (
    <TextField
      className="mt-3 max-w-sm"
      label={t("image.loginUser")}
      value={value}
      onChange={setValue}
      onBlur={() => void save()}
      error={error ?? undefined}
      placeholder="cirros"
      autoCapitalize="off"
      spellCheck={false}
    />
  );
}

/** Review's line about the image: the uploaded file, or the test disk made without one. */
export function ImageReview({ plan }: { plan: PlanView }) {
  const { t } = useI18n();
  const image = plan.uploadedImage;
  return (
    <p className="text-sm text-slate-700" data-testid="review-image">
      <span className="font-medium">{t("image.review")} {plan.settings.imageName}: </span>
      {image ? t("image.review.uploaded", { name: image.fileName, size: formatBytes(image.bytes), format: image.diskFormat, user: image.loginUser }) : t("image.none")}
    </p>
  );
}

{{/* Names and labels shared by every object of the chart. */}}

{{- define "portal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "portal.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "portal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "portal.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "portal.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "portal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "portal.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name: name the existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The ConfigMap the replicas share their revoked sessions through. */}}
{{- define "portal.sessionStoreName" -}}
{{- default (printf "%s-sessions" (include "portal.fullname" .)) .Values.sessionStore.configMapName -}}
{{- end -}}

{{- define "portal.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
Checks the settings that the portal would otherwise refuse only at start, so a bad release fails at `helm install`
with a message naming the value.
*/}}
{{- define "portal.validate" -}}
{{- if not (has .Values.auth.mode (list "token" "impersonate")) -}}
{{- fail (printf "auth.mode must be token or impersonate (got %q); kubeconfig mode has no sign-in and is not for a shared deployment" .Values.auth.mode) -}}
{{- end -}}
{{- $_ := required "publicUrl: the portal's public URL (https://portal.example.com), which the identity provider redirects back to" .Values.publicUrl -}}
{{- $_ := required "oidc.issuer: the OpenID Connect issuer users sign in with" .Values.oidc.issuer -}}
{{- $_ := required "oidc.clientId: the portal's client id at the identity provider" .Values.oidc.clientId -}}
{{- if and .Values.oidc.existingSecret .Values.oidc.clientSecret -}}
{{- fail "oidc: set either oidc.existingSecret or oidc.clientSecret, not both" -}}
{{- end -}}
{{- if not (or .Values.oidc.existingSecret .Values.oidc.clientSecret) -}}
{{- fail "oidc: the OIDC client secret is missing: name a Secret holding it (oidc.existingSecret, key oidc.existingSecretKey) or give it as oidc.clientSecret" -}}
{{- end -}}
{{- if and .Values.session.existingSecret .Values.session.secret -}}
{{- fail "session: set either session.existingSecret or session.secret, not both" -}}
{{- end -}}
{{- if not (or .Values.session.existingSecret .Values.session.secret) -}}
{{- fail "session: the session secret is missing: every replica must encrypt cookies with the same key; name a Secret holding it (session.existingSecret, key session.existingSecretKey) or give it as session.secret (for example: openssl rand -base64 32)" -}}
{{- end -}}
{{- if and .Values.oidc.caBundle .Values.oidc.caConfigMap.name -}}
{{- fail "oidc: set either oidc.caBundle or oidc.caConfigMap.name, not both" -}}
{{- end -}}
{{- end -}}

{{- define "portal.oidcSecretName" -}}
{{- default (include "portal.fullname" .) .Values.oidc.existingSecret -}}
{{- end -}}

{{- define "portal.oidcSecretKey" -}}
{{- if .Values.oidc.existingSecret -}}{{ .Values.oidc.existingSecretKey }}{{- else -}}oidc-client-secret{{- end -}}
{{- end -}}

{{- define "portal.sessionSecretName" -}}
{{- default (include "portal.fullname" .) .Values.session.existingSecret -}}
{{- end -}}

{{- define "portal.sessionSecretKey" -}}
{{- if .Values.session.existingSecret -}}{{ .Values.session.existingSecretKey }}{{- else -}}session-secret{{- end -}}
{{- end -}}

{{/* Where the pod finds the identity provider's CA, when one is given. */}}
{{- define "portal.oidcCaMounted" -}}
{{- if or .Values.oidc.caBundle .Values.oidc.caConfigMap.name -}}true{{- end -}}
{{- end -}}

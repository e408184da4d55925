// The dashboard's Admin tab markup (#admin-panel): subscriptions, products, the catalogue and the audit log. Its
// script is dashboard-admin.ts; the shell (dashboard-page.ts) places this after the analytics view.
export const DASHBOARD_ADMIN_HTML = `    <div id="admin-panel" role="tabpanel" aria-labelledby="tab-admin" hidden>
      <div id="admin-notice" role="status" data-testid="admin-notice" hidden></div>
      <section id="key-reveal" class="panel" data-testid="key-reveal" aria-live="polite" hidden></section>
      <section class="panel" id="subscriptions-section">
        <h2>Subscriptions</h2>
        <div class="api-error" id="subscriptions-error" data-testid="subscriptions-error" role="alert"></div>
        <div class="table-scroll">
          <table data-testid="subscriptions-table"><thead><tr><th>Name</th><th>Id</th><th>Product</th><th>State</th><th>Expires</th><th>Actions</th></tr></thead>
          <tbody id="subscriptions-body"></tbody></table>
        </div>
        <h3>New subscription</h3>
        <form id="subscription-form" class="admin-form" novalidate>
          <label>Name <input name="name" data-field="name" required maxlength="200" placeholder="my-app"></label>
          <label>Product <select name="productId" id="subscription-product" data-field="productId"></select></label>
          <label>Expires (optional) <input name="expiresAt" type="datetime-local" data-field="expiresAt"></label>
          <button class="submit" type="submit">Create subscription</button>
        </form>
      </section>
      <section class="panel" id="products-section">
        <h2>Products</h2>
        <div class="api-error" id="products-error" data-testid="products-error" role="alert"></div>
        <div class="table-scroll">
          <table data-testid="products-table"><thead><tr><th>Id</th><th>Name</th><th>Rate limit</th><th>Quota</th><th>Operations</th><th>Services</th><th>Actions</th></tr></thead>
          <tbody id="products-body"></tbody></table>
        </div>
        <h3 id="product-form-title">New product</h3>
        <form id="product-form" class="admin-form" novalidate>
          <label>Id <input name="id" data-field="id" maxlength="64" placeholder="trial"><span class="field-error" data-error-for="id"></span></label>
          <label>Name <input name="name" data-field="name" maxlength="200" placeholder="Trial"><span class="field-error" data-error-for="name"></span></label>
          <fieldset><legend>Rate limit (empty: none)</legend>
            <label>calls <input name="rateCalls" type="number" min="1" data-field="rateLimit"></label>
            <label>per seconds <input name="ratePeriod" type="number" min="1" data-field="rateLimit"></label>
            <span class="field-error" data-error-for="rateLimit"></span>
          </fieldset>
          <fieldset><legend>Quota (empty: none)</legend>
            <label>calls <input name="quotaCalls" type="number" min="1" data-field="quota"></label>
            <label>per seconds <input name="quotaPeriod" type="number" min="1" data-field="quota"></label>
            <span class="field-error" data-error-for="quota"></span>
          </fieldset>
          <fieldset><legend>Operations</legend>
            <label><input name="opRrs" type="checkbox" data-field="operations" checked> RRS</label>
            <label><input name="opBes" type="checkbox" data-field="operations" checked> BES</label>
            <span class="field-error" data-error-for="operations"></span>
          </fieldset>
          <label>Services <span class="hint">workspace/service, one a line; empty: every service (a new product) or unchanged</span>
            <textarea name="services" rows="2" cols="34" data-field="services"></textarea><span class="field-error" data-error-for="services"></span></label>
          <button class="submit" type="submit" id="product-submit">Create product</button>
          <button class="submit" type="button" id="product-new">Clear</button>
        </form>
        <div class="api-error" id="product-form-error" data-testid="product-form-error" role="alert"></div>
      </section>
      <section class="panel" id="catalogue-section">
        <h2>Catalogue</h2>
        <div class="table-scroll">
          <table data-testid="catalogue-table"><thead><tr><th>Service</th><th>Backend</th><th>Products</th><th></th></tr></thead>
          <tbody id="catalogue-body"></tbody></table>
        </div>
        <div id="catalogue-editor" hidden>
          <h3>Entry <span id="catalogue-editor-title"></span> as JSON (<code>PUT</code> replaces it)</h3>
          <textarea id="catalogue-json" data-testid="catalogue-json" spellcheck="false" aria-labelledby="catalogue-editor-title"></textarea>
          <div class="editor-actions"><button type="button" id="catalogue-save">Save entry</button><button type="button" id="catalogue-close">Close</button></div>
        </div>
        <div class="api-error" id="catalogue-error" data-testid="catalogue-error" role="alert"></div>
      </section>
      <section class="panel" id="audit-section">
        <h2>Audit log: the newest 50 changes</h2>
        <div class="table-scroll">
          <table data-testid="audit-table"><thead><tr><th>At</th><th>Actor</th><th>Operation</th><th>Target</th><th>Outcome</th></tr></thead>
          <tbody id="audit-body"></tbody></table>
        </div>
      </section>
    </div>`;
